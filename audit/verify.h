/*
 * verify.h - what an auditor proves about a trail (DESIGN.md section 10).
 */
#ifndef SS_VERIFY_H
#define SS_VERIFY_H

#include "trail.h"

#endif
