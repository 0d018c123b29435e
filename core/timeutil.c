#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t netra_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t mp = (m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void netra_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era;
	int64_t doe;
	int64_t yoe;
	int64_t doy;
	int64_t mp;
	int64_t dd;
	int64_t mm;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dd = doy - (153 * mp + 2) / 5 + 1;
	mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

int netra_date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap;

	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) || s[7] != '-' ||
	    digits(s + 8, 2, d))
		return -1;
	return netra_date_valid(*y, *m, *d) ? 0 : -1;
}

int netra_date_parse(const char *s, int64_t *days)
{
	int y;
	int m;
	int d;

	if (strlen(s) != 10 || parse_ymd(s, &y, &m, &d))
		return -1;
	*days = netra_days_from_civil(y, m, d);
	return 0;
}

int netra_time_parse(const char *s, int64_t *unix_utc)
{
	int y;
	int mo;
	int d;
	int h;
	int mi;
	int se;
	int oh = 0;
	int om = 0;
	int sign = 0;
	const char *p;

	if (strlen(s) < 20 || parse_ymd(s, &y, &mo, &d))
		return -1;
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se))
		return -1;
	if (h > 23 || mi > 59 || se > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	*unix_utc = netra_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
		    sign * (oh * 3600 + om * 60);
	return 0;
}

void netra_time_format_utc(int64_t unix_utc, char *out, unsigned outsz)
{
	int64_t days = unix_utc / 86400;
	int64_t rem = unix_utc % 86400;
	int y;
	int m;
	int d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	netra_civil_from_days(days, &y, &m, &d);
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(rem / 3600),
		 (int)(rem % 3600 / 60), (int)(rem % 60));
}

static const struct {
	const char *name;
	int minutes;
} zones[] = {
	{"Asia/Jakarta", 7 * 60},   {"Asia/Pontianak", 7 * 60}, {"WIB", 7 * 60},
	{"Asia/Makassar", 8 * 60},  {"Asia/Ujung_Pandang", 8 * 60}, {"WITA", 8 * 60},
	{"Asia/Jayapura", 9 * 60},  {"WIT", 9 * 60},            {"UTC", 0},
	{"Etc/UTC", 0},
};

int netra_tz_offset(const char *name, int *minutes)
{
	int h;
	int m;

	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		if (strcmp(name, zones[i].name) == 0) {
			*minutes = zones[i].minutes;
			return 0;
		}
	}
	if (strlen(name) == 6 && (name[0] == '+' || name[0] == '-') &&
	    !digits(name + 1, 2, &h) && name[3] == ':' && !digits(name + 4, 2, &m) &&
	    h <= 14 && m <= 59) {
		*minutes = (name[0] == '-' ? -1 : 1) * (h * 60 + m);
		return 0;
	}
	return -1;
}

const char *netra_tz_known(void)
{
	return "Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura, "
	       "WIB, WITA, WIT, UTC, or a fixed offset such as +07:00";
}
