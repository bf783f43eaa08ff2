#ifndef DOORSTROOM_CCRYPTO_SHIM_H
#define DOORSTROOM_CCRYPTO_SHIM_H
// OpenSSL's libcrypto (already linked through libpq): HMAC for TOTP, AES-256-GCM for
// sealing secrets, SHA-256 for recovery codes.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/crypto.h>
#endif
