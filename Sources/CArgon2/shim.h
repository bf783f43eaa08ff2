#ifndef DOORSTROOM_CARGON2_SHIM_H
#define DOORSTROOM_CARGON2_SHIM_H
#include <argon2.h>
#endif
