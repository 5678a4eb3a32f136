#ifndef HELPLINE_CLIBPQ_SHIM_H
#define HELPLINE_CLIBPQ_SHIM_H

// Debian's libpq-dev puts the header under postgresql/.
#include <postgresql/libpq-fe.h>

#endif
