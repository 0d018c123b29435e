/* The watchlist (../shared/contracts/formats.md §3): the civil servants
 * being watched and their accounts, looked up by source and handle. */
#ifndef NETRA_WATCHLIST_H
#define NETRA_WATCHLIST_H

#include "core/nip.h"

#include <stddef.h>

/* One account of a watched person, read-only, owned by the watchlist. */
struct netra_account {
	char *source;   /* "mastodon", "jsonl", ... */
	char *handle;   /* as the source writes it, e.g. "budi@mastodon.social" */
	char *platform; /* for jsonl exports: "facebook", ...; NULL if not given */
};

/* One watched civil servant, read-only, owned by the watchlist. */
struct netra_asn {
	char nip[19];           /* 18 digits */
	struct netra_nip nipd;  /* the NIP's parts */
	char *name;             /* full name */
	char *position;         /* job title; may be NULL */
	char *position_class;   /* jpt, administrator, ...; may be NULL */
	char *agency;           /* employer; may be NULL */
	char *province;         /* may be NULL */
	struct netra_account *accounts; /* accounts watched */
	size_t naccounts;       /* entries in accounts */
	size_t line;            /* line in the file, for messages */
};

struct netra_watchlist;

/* Load a JSONL watchlist. On success *out is the caller's (free with
 * netra_watchlist_destroy). Every line is checked: an invalid NIP, a missing
 * name, an unknown position class, an account claimed twice. Returns 0,
 * NETRA_EIO, or NETRA_EINVAL with err "file:line: field: reason". */
int netra_watchlist_load(const char *path, struct netra_watchlist **out, char *err,
			 size_t errsz);

/* Free. NULL-safe; sets *w to NULL. */
void netra_watchlist_destroy(struct netra_watchlist **w);

size_t netra_watchlist_size(const struct netra_watchlist *w);
const struct netra_asn *netra_watchlist_at(const struct netra_watchlist *w, size_t i);

/* The person who owns the account (source, handle), or NULL. Handles
 * compare without case and without a leading '@'; platform, when both the
 * account and the query have one, must agree. Borrowed. */
const struct netra_asn *netra_watchlist_find(const struct netra_watchlist *w,
					     const char *source, const char *handle,
					     const char *platform);

/* The person with this NIP (18 digits), or NULL. Borrowed. */
const struct netra_asn *netra_watchlist_find_nip(const struct netra_watchlist *w,
						 const char *nip);

/* 1 if name is a position class of the contract (jpt, administrator,
 * pengawas, fungsional, pelaksana, kepala_wilayah, pppk). */
int netra_position_class_valid(const char *name);

#endif
