#ifndef SS_FEEDBACK_H
#define SS_FEEDBACK_H
#endif
