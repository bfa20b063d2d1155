#include "sshkey.h"
