/* Error values shared by every module: 0 is success, negative is failure. */
#ifndef NETRA_ERROR_H
#define NETRA_ERROR_H

enum netra_status {
	NETRA_OK = 0,
	NETRA_ENOMEM = -1,  /* allocation failed */
	NETRA_EINVAL = -2,  /* bad input: the message says where and why */
	NETRA_EIO = -3,     /* a file or socket failed */
	NETRA_ETOOBIG = -4, /* a bounded buffer or input limit was reached */
	NETRA_ERETRY = -5,  /* transient: try again later */
	NETRA_EFATAL = -6,  /* permanent: do not retry */
	NETRA_ENOTFOUND = -7 /* the thing asked for does not exist */
};

/* A short English name for a status ("out of memory"). Never NULL. */
const char *netra_strerror(int status);

#endif
