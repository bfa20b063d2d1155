/*
 * review.h - forwarding header: verdicts, worksheets, corrections, close and
 * reopen are declared in act.h. Kept so that the files that include it build
 * unchanged; due to be removed.
 */
#ifndef SS_REVIEW_H
#define SS_REVIEW_H

#include "act.h"

#endif
