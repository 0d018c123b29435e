#include "collectors/html.h"

#include "core/buf.h"
#include "core/error.h"
#include "core/util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Named entities worth knowing in social-media HTML. */
static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'},     {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
	{"apos", '\''},   {"nbsp", 0xA0},    {"hellip", 0x2026}, {"mdash", 0x2014},
	{"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
	{"rdquo", 0x201D}, {"laquo", 0xAB},  {"raquo", 0xBB},   {"copy", 0xA9},
	{"reg", 0xAE},    {"trade", 0x2122}, {"bull", 0x2022},  {"middot", 0xB7},
	{"euro", 0x20AC}, {"deg", 0xB0},     {"times", 0xD7},   {"zwj", 0x200D},
	{"zwnj", 0x200C}, {"shy", 0xAD},
};

static void put_cp(struct netra_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	(void)netra_buf_add(b, u, n);
}

/* Decode the entity at s[0] == '&'; returns bytes consumed (0 if it is not
 * an entity) and the code point in *cp. */
static size_t entity(const char *s, size_t len, uint32_t *cp)
{
	size_t i = 1;

	if (len < 3)
		return 0;
	if (s[1] == '#') {
		uint32_t v = 0;
		int hex = len > 2 && (s[2] == 'x' || s[2] == 'X');
		size_t start;
		i = hex ? 3 : 2;
		start = i;
		while (i < len && i < start + 8 &&
		       (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) {
			int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
							     : (tolower((unsigned char)s[i]) - 'a' + 10);
			v = v * (hex ? 16u : 10u) + (uint32_t)d;
			i++;
		}
		if (i == start)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		*cp = v;
		return i;
	}
	while (i < len && i < 12 && isalnum((unsigned char)s[i]))
		i++;
	if (i >= len || s[i] != ';')
		return 0;
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		if (strlen(entities[k].name) == i - 1 && strncmp(entities[k].name, s + 1, i - 1) == 0) {
			*cp = entities[k].cp;
			return i + 1;
		}
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return 0;
	if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return 0;
	return n;
}

/* Append text bytes with entity decoding and UTF-8 repair; collapse white
 * space when collapse is set (*space tracks a pending space). */
static void add_text(struct netra_buf *b, const char *s, size_t len, int collapse, int *space)
{
	size_t i = 0;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];
		uint32_t cp;
		size_t n;
		if (collapse && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f')) {
			*space = 1;
			i++;
			continue;
		}
		if (collapse && *space) {
			if (b->len > 0 && b->data[b->len - 1] != '\n')
				(void)netra_buf_add(b, " ", 1);
			*space = 0;
		}
		if (ch == '&' && (n = entity(s + i, len - i, &cp)) > 0) {
			if (cp == 0xA0 && collapse)
				cp = ' ';
			put_cp(b, cp);
			i += n;
			continue;
		}
		if (ch == 0) {
			i++;
			continue;
		}
		n = utf8_len((const unsigned char *)s + i, len - i);
		if (n == 0) {
			put_cp(b, 0xFFFD);
			i++;
			continue;
		}
		(void)netra_buf_add(b, s + i, n);
		i += n;
	}
}

char *netra_html_decode_entities(const char *s, size_t len)
{
	struct netra_buf b;
	int space = 0;

	netra_buf_init(&b, len * 4 + 16);
	add_text(&b, s, len, 0, &space);
	return netra_buf_steal(&b);
}

/* 1 if the tag name at p (length n) is one of the NULL-terminated list. */
static int tag_in(const char *p, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == n && strncasecmp(list[i], p, n) == 0)
			return 1;
	return 0;
}

static void newline(struct netra_buf *b, int *space, int blank)
{
	*space = 0;
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	if (b->len == 0)
		return;
	if (b->data[b->len - 1] != '\n')
		(void)netra_buf_add(b, "\n", 1);
	if (blank && (b->len < 2 || b->data[b->len - 2] != '\n'))
		(void)netra_buf_add(b, "\n", 1);
}

char *netra_html_to_text(const char *html, size_t len, size_t max)
{
	static const char *const blocks[] = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4",
					     "h5", "h6", "blockquote", "pre", "tr", "table",
					     "section", "article", NULL};
	static const char *const skipped[] = {"script", "style", "head", "title", NULL};
	struct netra_buf b;
	size_t i = 0;
	int space = 0;
	int br_run = 0; /* the last tag was a <br> with only white space since */
	char *out;

	/* Why: the output can be longer than the input (U+FFFD for a bad
	 * byte), so the working buffer gets room and the cut is made below. */
	netra_buf_init(&b, len * 3 + 16);
	while (i < len) {
		const char *lt = memchr(html + i, '<', len - i);
		size_t textend = lt != NULL ? (size_t)(lt - html) : len;
		size_t j;
		size_t nstart;
		size_t nlen;
		int closing;

		for (size_t k = i; k < textend; k++) {
			if (html[k] != ' ' && html[k] != '\t' && html[k] != '\r' && html[k] != '\n') {
				br_run = 0;
				break;
			}
		}
		add_text(&b, html + i, textend - i, 1, &space);
		if (lt == NULL)
			break;
		i = textend;
		if (i + 3 < len && strncmp(html + i, "<!--", 4) == 0) {
			const char *end = NULL;
			for (size_t k = i + 4; k + 2 < len; k++)
				if (html[k] == '-' && html[k + 1] == '-' && html[k + 2] == '>') {
					end = html + k;
					break;
				}
			i = end != NULL ? (size_t)(end - html) + 3 : len;
			continue;
		}
		j = i + 1;
		closing = j < len && html[j] == '/';
		if (closing)
			j++;
		nstart = j;
		while (j < len && (isalnum((unsigned char)html[j]) || html[j] == '-'))
			j++;
		nlen = j - nstart;
		if (nlen == 0 && !(j < len && (html[j] == '!' || html[j] == '?'))) {
			/* A lone '<' is text. */
			add_text(&b, "<", 1, 1, &space);
			i++;
			continue;
		}
		/* Find the end of the tag, skipping quoted attribute values. */
		{
			char quote = 0;
			while (j < len) {
				if (quote != 0) {
					if (html[j] == quote)
						quote = 0;
				} else if (html[j] == '"' || html[j] == '\'') {
					quote = html[j];
				} else if (html[j] == '>') {
					break;
				}
				j++;
			}
		}
		if (!closing && tag_in(html + nstart, nlen, skipped)) {
			/* Skip to the matching close tag. */
			size_t k = j;
			int found = 0;
			while (k + nlen + 2 < len) {
				if (html[k] == '<' && html[k + 1] == '/' &&
				    strncasecmp(html + k + 2, html + nstart, nlen) == 0) {
					const char *gt = memchr(html + k, '>', len - k);
					j = gt != NULL ? (size_t)(gt - html) : len;
					found = 1;
					break;
				}
				k++;
			}
			if (!found)
				j = len;
		} else if (nlen == 2 && strncasecmp(html + nstart, "br", 2) == 0) {
			/* Each <br> is a line break: two make a blank line. */
			newline(&b, &space, 0);
			if (b.len > 0 && b.data[b.len - 1] == '\n' && br_run)
				(void)netra_buf_add(&b, "\n", 1);
			br_run = 1;
			i = j < len ? j + 1 : len;
			continue;
		} else if (tag_in(html + nstart, nlen, blocks)) {
			int para = nlen == 1 && (html[nstart] == 'p' || html[nstart] == 'P');
			newline(&b, &space, para && closing);
		}
		/* Other (inline) tags do not separate words. */
		br_run = 0;
		i = j < len ? j + 1 : len;
	}
	while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	if (b.len > max) {
		size_t cut = max;
		while (cut > 0 && (b.data[cut] & 0xC0) == 0x80)
			cut--;
		b.len = cut;
		b.data[cut] = '\0';
	}
	out = netra_buf_steal(&b);
	return out;
}
