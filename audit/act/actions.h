/*
 * actions.h - forwarding header: the actions are declared in act.h. Kept so
 * that the files that include it build unchanged; due to be removed.
 */
#ifndef SS_ACTIONS_H
#define SS_ACTIONS_H

#include "act.h"

#endif
