/* An election being watched (../shared/contracts/formats.md §2): its
 * stages, candidates (with names, aliases, hashtags, slogans, parties) and
 * parties. The classifier fills its rule placeholders from these. */
#ifndef NETRA_ELECTION_H
#define NETRA_ELECTION_H

#include <stddef.h>
#include <stdint.h>

/* A read-only list of strings owned by its election. */
struct netra_strv {
	char **v; /* the strings */
	size_t n; /* how many */
};

/* One candidate (pair), read-only, owned by its election. */
struct netra_candidate {
	int number;                 /* ballot number, unique in the election */
	struct netra_strv names;    /* full names, at least one */
	struct netra_strv aliases;  /* nicknames and acronyms */
	struct netra_strv hashtags; /* without '#' */
	struct netra_strv slogans;  /* campaign slogans */
	struct netra_strv parties;  /* supporting parties, by name or alias */
};

/* One party, read-only, owned by its election. */
struct netra_party {
	char *name;                /* full name */
	struct netra_strv aliases; /* short names and acronyms */
};

/* One stage of the timeline, read-only, owned by its election. */
struct netra_stage {
	char *name;    /* e.g. "kampanye" */
	int64_t start; /* first day, as days since 1970-01-01 */
	int64_t end;   /* last day, inclusive */
};

struct netra_election;

/* Load and validate an election file. On success *out is the caller's, to
 * free with netra_election_destroy. Returns 0, NETRA_EIO, or NETRA_EINVAL
 * with err "file:line: field: reason". */
int netra_election_load(const char *path, struct netra_election **out, char *err,
			size_t errsz);

/* Parse from memory; name labels messages. Same results as load. */
int netra_election_parse(const char *text, size_t len, const char *name,
			 struct netra_election **out, char *err, size_t errsz);

/* Free an election. NULL-safe; sets *e to NULL. */
void netra_election_destroy(struct netra_election **e);

const char *netra_election_id(const struct netra_election *e);
const char *netra_election_name(const struct netra_election *e);
/* The time zone's UTC offset in minutes. */
int netra_election_tz_minutes(const struct netra_election *e);

size_t netra_election_ncandidates(const struct netra_election *e);
const struct netra_candidate *netra_election_candidate(const struct netra_election *e,
							size_t i);
/* The candidate with ballot number, or NULL. */
const struct netra_candidate *netra_election_candidate_by_number(
	const struct netra_election *e, int number);

size_t netra_election_nparties(const struct netra_election *e);
const struct netra_party *netra_election_party(const struct netra_election *e, size_t i);

size_t netra_election_nstages(const struct netra_election *e);
const struct netra_stage *netra_election_stage(const struct netra_election *e, size_t i);

/* The name of the stage in force at a moment (seconds since the epoch,
 * UTC), taken as a date in the election's time zone; NULL if the date falls
 * in no stage. Borrowed. */
const char *netra_election_stage_at(const struct netra_election *e, int64_t unix_utc);

#endif
