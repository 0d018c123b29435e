/* Dates and times without the C library's global time-zone state:
 * RFC 3339 timestamps, calendar dates, and Indonesia's fixed-offset zones. */
#ifndef NETRA_TIMEUTIL_H
#define NETRA_TIMEUTIL_H

#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
int64_t netra_days_from_civil(int y, int m, int d);

/* The date of a day number. */
void netra_civil_from_days(int64_t z, int *y, int *m, int *d);

/* 1 if y-m-d is a real calendar date (years 1000..9999). */
int netra_date_valid(int y, int m, int d);

/* Parse "YYYY-MM-DD" into a day number. Returns 0, or -1 if malformed. */
int netra_date_parse(const char *s, int64_t *days);

/* Parse an RFC 3339 timestamp ("2024-10-05T09:12:00+07:00", "...Z", with
 * optional fractional seconds) into seconds since the epoch, UTC. Returns 0,
 * or -1 if malformed. */
int netra_time_parse(const char *s, int64_t *unix_utc);

/* Format seconds since the epoch as RFC 3339 in UTC ("...Z") into out
 * (at least 21 bytes). */
void netra_time_format_utc(int64_t unix_utc, char *out, unsigned outsz);

/* The UTC offset in minutes of a time zone Netra knows: the IANA names of
 * Indonesia's zones (Asia/Jakarta, Asia/Pontianak, Asia/Makassar,
 * Asia/Jayapura and their aliases), UTC, or a fixed "+07:00". Indonesia has
 * no daylight saving, so a fixed offset is exact. Returns 0, or -1. */
int netra_tz_offset(const char *name, int *minutes);

/* The names netra_tz_offset accepts, for error messages. */
const char *netra_tz_known(void);

#endif
