/* RSS 2.0 and Atom parsing, exposed for tests and fuzzing (the source is
 * the plugin netra_source_rss in rss.c). A small tolerant scanner, not a
 * validating XML parser: it reads the elements feeds use. */
#ifndef NETRA_FEED_H
#define NETRA_FEED_H

#include <jansson.h>
#include <stddef.h>

/* Parse a feed into posts appended to out (a JSON array): id
 * "rss:SITE:GUID-or-LINK", url, created_at (RFC 822 dates converted to
 * RFC 3339), author, text (title, a blank line, the body as plain text),
 * tags from categories. site names the feed in ids (its host). Returns
 * the number of items, or -1 with err set if the document is not an RSS or
 * Atom feed or an item has neither guid/id nor link. */
long netra_feed_parse(const char *xml, size_t len, const char *site, json_t *out,
		      char *err, size_t errsz);

/* Convert an RFC 822 date ("Tue, 20 Apr 2021 13:37:35 +0700") to RFC 3339
 * ("2021-04-20T13:37:35+07:00") in out (at least 32 bytes). 0 or -1. */
int netra_rfc822_to_rfc3339(const char *s, char *out, size_t outsz);

#endif
