/* Telegram channel preview parsing (t.me/s/CHANNEL), exposed for tests
 * and fuzzing; the source is the plugin netra_source_telegram. */
#ifndef NETRA_TELEGRAM_H
#define NETRA_TELEGRAM_H

#include <jansson.h>
#include <stddef.h>

/* Parse a preview page into posts appended to out (oldest first): id
 * "telegram:t.me:CHANNEL/N", url, created_at, author, text, tags, photos
 * as media. *lowest receives the smallest message number on the page (0
 * if none). Returns the number of messages, or -1 with err set when the
 * page is not a channel preview (its shape has changed). */
long netra_telegram_parse(const char *html, size_t len, json_t *out, long long *lowest,
			  char *err, size_t errsz);

#endif
