/*
 * draw.h - forwarding header: the sample action is declared in act.h. Kept
 * so that the files that include it build unchanged; due to be removed.
 */
#ifndef SS_DRAW_H
#define SS_DRAW_H

#include "act.h"

#endif
