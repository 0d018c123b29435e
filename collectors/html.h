/* HTML to plain text, for post bodies (Mastodon content, RSS
 * descriptions, Telegram messages): tags are dropped, <br> and block ends
 * become newlines, entities are decoded, script and style are skipped,
 * runs of spaces collapse. */
#ifndef NETRA_HTML_H
#define NETRA_HTML_H

#include <stddef.h>

/* Convert len bytes of HTML into a new NUL-terminated string (the caller
 * frees it), at most max bytes long (cut at a UTF-8 boundary). Invalid
 * UTF-8 is replaced by U+FFFD. Returns NULL only on OOM. */
char *netra_html_to_text(const char *html, size_t len, size_t max);

/* Decode entities (&amp; &#39; &#x2F; and the common named ones) in len
 * bytes into a new string, without touching tags. NULL on OOM. */
char *netra_html_decode_entities(const char *s, size_t len);

#endif
