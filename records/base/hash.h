/*
 * hash.h - the old name of crypto.h's SHA-256 part, kept so that includers
 * outside records/ build until they include crypto.h; then it goes.
 */
#ifndef SS_HASH_H
#define SS_HASH_H

#include "crypto.h"

#endif
