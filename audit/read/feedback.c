/* feedback.c - placeholder */
#include "feedback.h"
int ss_feedback_placeholder(void); int ss_feedback_placeholder(void) { return 0; }
