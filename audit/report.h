/*
 * report.h - the month's findings (DESIGN.md section 9).
 */
#ifndef SS_REPORT_H
#define SS_REPORT_H

#include "trail.h"

#endif
