/* The NIP (Nomor Induk Pegawai), the 18-digit civil-servant number:
 * birth date YYYYMMDD, civil-service start YYYYMM, sex digit (1 male,
 * 2 female), 3-digit sequence. */
#ifndef NETRA_NIP_H
#define NETRA_NIP_H

#include <stddef.h>

struct netra_nip {
	int birth_year;  /* from digits 1-4 */
	int birth_month; /* from digits 5-6 */
	int birth_day;   /* from digits 7-8 */
	int start_year;  /* from digits 9-12 */
	int start_month; /* from digits 13-14 */
	int sex;         /* digit 15: 1 male, 2 female */
	int sequence;    /* digits 16-18 */
};

/* Check s (len bytes; spaces inside are allowed, as people write
 * "19850315 201001 1 002") and fill out (may be NULL). Returns 0, or
 * NETRA_EINVAL with a reason in err ("birth date 1985-13-15 is not a date"). */
int netra_nip_check(const char *s, size_t len, struct netra_nip *out, char *err,
		    size_t errsz);

/* Find the first valid NIP in text (18 digits, optionally grouped by spaces
 * as 8 6 1 3), copying its 18 digits into nip18 (19 bytes). Returns 1 if
 * found, else 0. Digit runs whose dates are invalid are not NIPs. */
int netra_nip_find(const char *text, size_t len, char nip18[19]);

#endif
