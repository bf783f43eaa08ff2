#ifndef DOORSTROOM_CLIBPQ_SHIM_H
#define DOORSTROOM_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
