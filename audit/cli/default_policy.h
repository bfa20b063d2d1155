/*
 * default_policy.h - policies/euppg-monthly.json, built into the program so
 * `ssaudit demo` runs anywhere. Generated at build time from the shipped file.
 */
#ifndef SS_DEFAULT_POLICY_H
#define SS_DEFAULT_POLICY_H

#include <stddef.h>

extern const unsigned char ss_default_policy[];
extern const size_t ss_default_policy_len;

#endif
