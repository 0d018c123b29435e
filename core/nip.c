#include "core/nip.h"

#include "core/error.h"
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>

static int num(const char *d, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (d[i] - '0');
	return v;
}

static int nip_digits(const char *s, size_t len, char d[19], char *err, size_t errsz)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ')
			continue;
		if (s[i] < '0' || s[i] > '9') {
			snprintf(err, errsz, "NIP must be 18 digits; found '%c' at position %zu",
				 s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?', i + 1);
			return NETRA_EINVAL;
		}
		if (n == 18) {
			snprintf(err, errsz, "NIP must be 18 digits; it has more");
			return NETRA_EINVAL;
		}
		d[n++] = s[i];
	}
	d[n] = '\0';
	if (n != 18) {
		snprintf(err, errsz, "NIP must be 18 digits; it has %zu", n);
		return NETRA_EINVAL;
	}
	return NETRA_OK;
}

int netra_nip_check(const char *s, size_t len, struct netra_nip *out, char *err,
		    size_t errsz)
{
	char d[19];
	struct netra_nip n;
	int rc = nip_digits(s, len, d, err, errsz);

	if (rc != NETRA_OK)
		return rc;
	n.birth_year = num(d, 4);
	n.birth_month = num(d + 4, 2);
	n.birth_day = num(d + 6, 2);
	n.start_year = num(d + 8, 4);
	n.start_month = num(d + 12, 2);
	n.sex = d[14] - '0';
	n.sequence = num(d + 15, 3);
	if (!netra_date_valid(n.birth_year, n.birth_month, n.birth_day) ||
	    n.birth_year < 1930 || n.birth_year > 2012) {
		snprintf(err, errsz, "NIP birth date %.4s-%.2s-%.2s is not a valid date of birth",
			 d, d + 4, d + 6);
		return NETRA_EINVAL;
	}
	if (n.start_month < 1 || n.start_month > 12 || n.start_year < n.birth_year + 15 ||
	    n.start_year > n.birth_year + 70) {
		snprintf(err, errsz,
			 "NIP start date %.4s-%.2s is not a valid civil-service start for "
			 "someone born in %d",
			 d + 8, d + 12, n.birth_year);
		return NETRA_EINVAL;
	}
	if (n.sex != 1 && n.sex != 2) {
		snprintf(err, errsz, "NIP sex digit (15th) must be 1 or 2, not %c", d[14]);
		return NETRA_EINVAL;
	}
	if (out != NULL)
		*out = n;
	return NETRA_OK;
}

int netra_nip_find(const char *text, size_t len, char nip18[19])
{
	size_t i = 0;

	while (i < len) {
		char d[19];
		size_t n = 0;
		size_t j = i;
		char err[128];

		if (text[i] < '0' || text[i] > '9' || (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9')) {
			i++;
			continue;
		}
		/* Collect digits, allowing single spaces between groups. */
		while (j < len && n < 18) {
			if (text[j] >= '0' && text[j] <= '9') {
				d[n++] = text[j++];
			} else if (text[j] == ' ' && j + 1 < len && text[j + 1] >= '0' &&
				   text[j + 1] <= '9') {
				j++;
			} else {
				break;
			}
		}
		d[n] = '\0';
		if (n == 18 && !(j < len && text[j] >= '0' && text[j] <= '9') &&
		    netra_nip_check(d, 18, NULL, err, sizeof(err)) == NETRA_OK) {
			memcpy(nip18, d, 19);
			return 1;
		}
		i++;
	}
	return 0;
}
