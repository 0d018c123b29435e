#include "core/jsonpos.h"

#include <stdio.h>
#include <string.h>

enum { PATH_MAX_LEN = 512, DEPTH_MAX = 64 };

struct scan {
	const char *s;     /* text */
	size_t len;        /* its length */
	size_t pos;        /* read position */
	int line;          /* line at pos */
	const char *target; /* path looked for */
	size_t best_len;   /* length of the longest matching prefix so far */
	int best_line;     /* its line */
	char path[PATH_MAX_LEN]; /* current path */
	int depth;         /* nesting depth */
};

static void skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];
		if (c == '\n')
			sc->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return;
		sc->pos++;
	}
}

static void note(struct scan *sc)
{
	size_t pl = strlen(sc->path);
	char next;

	/* The current path must be a prefix of the target (then target[pl] is
	 * in bounds: at most its terminating NUL). */
	if (pl > strlen(sc->target) || strncmp(sc->target, sc->path, pl) != 0)
		return;
	next = sc->target[pl];
	if (next != '\0' && next != '.' && next != '[' && pl != 0)
		return;
	if (pl >= sc->best_len) {
		sc->best_len = pl;
		sc->best_line = sc->line;
	}
}

/* Scan a string; copy its raw contents (escapes kept) into out if given. */
static int scan_string(struct scan *sc, char *out, size_t outsz)
{
	size_t n = 0;

	if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
		return -1;
	sc->pos++;
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos++];
		if (c == '"') {
			if (out != NULL)
				out[n] = '\0';
			return 0;
		}
		if (c == '\\' && sc->pos < sc->len)
			c = sc->s[sc->pos++];
		if (c == '\n')
			sc->line++;
		if (out != NULL && n + 1 < outsz)
			out[n++] = c;
	}
	return -1;
}

static int scan_value(struct scan *sc);

static int scan_container(struct scan *sc, char open)
{
	size_t base = strlen(sc->path);
	char close = open == '{' ? '}' : ']';
	int index = 0;

	if (++sc->depth > DEPTH_MAX)
		return -1;
	sc->pos++;
	skip_ws(sc);
	if (sc->pos < sc->len && sc->s[sc->pos] == close) {
		sc->pos++;
		sc->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(sc);
		if (open == '{') {
			char key[256];
			if (scan_string(sc, key, sizeof(key)) != 0)
				return -1;
			snprintf(sc->path + base, sizeof(sc->path) - base, "%s%s",
				 base ? "." : "", key);
			skip_ws(sc);
			if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
				return -1;
			sc->pos++;
		} else {
			snprintf(sc->path + base, sizeof(sc->path) - base, "[%d]", index++);
		}
		skip_ws(sc);
		if (scan_value(sc) != 0)
			return -1;
		sc->path[base] = '\0';
		skip_ws(sc);
		if (sc->pos >= sc->len)
			return -1;
		if (sc->s[sc->pos] == ',') {
			sc->pos++;
			continue;
		}
		if (sc->s[sc->pos] == close) {
			sc->pos++;
			sc->depth--;
			return 0;
		}
		return -1;
	}
}

static int scan_value(struct scan *sc)
{
	char c;

	skip_ws(sc);
	if (sc->pos >= sc->len)
		return -1;
	note(sc);
	c = sc->s[sc->pos];
	if (c == '{' || c == '[')
		return scan_container(sc, c);
	if (c == '"')
		return scan_string(sc, NULL, 0);
	/* number, true, false, null */
	while (sc->pos < sc->len) {
		c = sc->s[sc->pos];
		if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\t' ||
		    c == '\r')
			break;
		sc->pos++;
	}
	return 0;
}

int netra_json_line(const char *text, size_t len, const char *path)
{
	struct scan sc;

	memset(&sc, 0, sizeof(sc));
	sc.s = text;
	sc.len = len;
	sc.line = 1;
	sc.target = path;
	sc.best_line = 1;
	(void)scan_value(&sc);
	return sc.best_line;
}
