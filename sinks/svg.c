/* Hand-drawn SVG charts for reports (see svg.h). */
#include "sinks/svg.h"

#include "core/error.h"
#include "core/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	BAR_WIDTH = 680,    /* whole chart */
	BAR_LABEL_W = 230,  /* left column of labels */
	BAR_AREA_W = 380,   /* longest bar */
	BAR_THICK = 14,     /* one bar */
	BAR_GAP = 10,       /* between rows */
	LEGEND_H = 22,      /* legend line above the bars */
	LABEL_CHARS = 34,   /* label characters shown; the <title> has all */
	LINE_WIDTH = 680,   /* whole chart */
	LINE_HEIGHT = 280,  /* whole chart */
	LINE_LEFT = 44,     /* room for the y axis */
	LINE_RIGHT = 16,    /* margin */
	LINE_TOP = 52,      /* room for the stage names */
	LINE_BOTTOM = 34    /* room for the dates */
};

static const char *const colours[NETRA_SVG_MAX_SERIES] = {"#2b6cb0", "#c53030", "#2f855a",
							  "#b7791f"};

/* A buffer with a sticky error: the first failure is kept and the rest of
 * the drawing is skipped, so that the drawing code reads straight. */
struct pen {
	struct netra_buf *b; /* where the SVG goes */
	int rc;              /* first failure, or 0 */
};

static void pen_printf(struct pen *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pen_printf(struct pen *p, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	if (p->rc != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	/* Only numbers and fixed words pass through here; text goes through
	 * pen_text, escaped. */
	if (n < 0 || (size_t)n >= sizeof(small)) {
		p->rc = NETRA_ETOOBIG;
		return;
	}
	p->rc = netra_buf_add(p->b, small, (size_t)n);
}

static void pen_text(struct pen *p, const char *s)
{
	if (p->rc == 0)
		p->rc = netra_xml_escape(p->b, s != NULL ? s : "");
}

int netra_xml_escape(struct netra_buf *out, const char *s)
{
	const char *run = s;
	int rc = NETRA_OK;

	for (; *s != '\0' && rc == NETRA_OK; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		if (rep == NULL)
			continue;
		rc = netra_buf_add(out, run, (size_t)(s - run));
		if (rc == NETRA_OK)
			rc = netra_buf_adds(out, rep);
		run = s + 1;
	}
	if (rc == NETRA_OK)
		rc = netra_buf_adds(out, run);
	return rc;
}

/* The first max characters of a UTF-8 label, with "…" when cut. New
 * string, or NULL on OOM. */
static char *shorten(const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	char *out;

	while (s[i] != '\0' && chars < max) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	out = malloc(i + 4);
	if (out == NULL)
		return NULL;
	memcpy(out, s, i);
	if (s[i] != '\0')
		memcpy(out + i, "\xe2\x80\xa6", 4);
	else
		out[i] = '\0';
	return out;
}

int netra_svg_bars(struct netra_buf *out, const struct netra_svg_bars *c)
{
	struct pen p = {out, 0};
	long max = 0;
	int legend = c->nseries > 1 ? LEGEND_H : 0;
	int row_h = (int)c->nseries * BAR_THICK + BAR_GAP;
	int height;

	if (c->nseries == 0 || c->nseries > NETRA_SVG_MAX_SERIES)
		return NETRA_EINVAL;
	for (size_t i = 0; i < c->nrows * c->nseries; i++)
		if (c->values[i] > max)
			max = c->values[i];
	height = legend + (int)c->nrows * row_h + BAR_GAP;
	pen_printf(&p,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bars\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		   BAR_WIDTH, height, BAR_WIDTH, height);
	pen_text(&p, c->title);
	pen_printf(&p, "\">\n");
	for (size_t s = 0; legend != 0 && s < c->nseries; s++) {
		int x = BAR_LABEL_W + (int)s * 130;
		pen_printf(&p, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>", x,
			   colours[s]);
		pen_printf(&p, "<text x=\"%d\" y=\"16\" font-size=\"12\">", x + 16);
		pen_text(&p, c->series[s]);
		pen_printf(&p, "</text>\n");
	}
	for (size_t r = 0; r < c->nrows; r++) {
		int y0 = legend + BAR_GAP / 2 + (int)r * row_h;
		char *label = shorten(c->labels[r], LABEL_CHARS);
		if (label == NULL) {
			p.rc = p.rc != 0 ? p.rc : NETRA_ENOMEM;
			break;
		}
		pen_printf(&p, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">",
			   BAR_LABEL_W - 6, y0 + (int)c->nseries * BAR_THICK / 2 + 4);
		pen_text(&p, label);
		pen_printf(&p, "<title>");
		pen_text(&p, c->labels[r]);
		pen_printf(&p, "</title></text>\n");
		free(label);
		for (size_t s = 0; s < c->nseries; s++) {
			long v = c->values[r * c->nseries + s];
			double w = max > 0 ? (double)v * BAR_AREA_W / (double)max : 0.0;
			int y = y0 + (int)s * BAR_THICK;
			pen_printf(&p,
				   "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
				   "fill=\"%s\" data-series=\"%zu\" data-value=\"%ld\" data-label=\"",
				   BAR_LABEL_W, y + 1, w, BAR_THICK - 2, colours[s], s, v);
			pen_text(&p, c->labels[r]);
			pen_printf(&p, "\"><title>");
			pen_text(&p, c->labels[r]);
			pen_printf(&p, " \xe2\x80\x94 ");
			pen_text(&p, c->series[s]);
			pen_printf(&p, ": %ld</title></rect>", v);
			pen_printf(&p, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%ld</text>\n",
				   BAR_LABEL_W + w + 4, y + BAR_THICK - 3, v);
		}
	}
	pen_printf(&p, "</svg>\n");
	return p.rc;
}

static void date_text(int64_t day, char out[11])
{
	int y, m, d;

	netra_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m, d);
}

int netra_svg_line(struct netra_buf *out, const struct netra_svg_line *c)
{
	struct pen p = {out, 0};
	const int plot_w = LINE_WIDTH - LINE_LEFT - LINE_RIGHT;
	const int plot_h = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM;
	const int base = LINE_TOP + plot_h;
	long max = 0;
	double step;
	char date[11];

	if (c->ndays == 0)
		return NETRA_EINVAL;
	for (size_t i = 0; i < c->ndays; i++)
		if (c->values[i] > max)
			max = c->values[i];
	if (max == 0)
		max = 1;
	step = c->ndays > 1 ? (double)plot_w / (double)(c->ndays - 1) : 0.0;
	pen_printf(&p,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart line\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		   LINE_WIDTH, LINE_HEIGHT, LINE_WIDTH, LINE_HEIGHT);
	pen_text(&p, c->title);
	pen_printf(&p, "\">\n");
	/* Stages first, so that the line is drawn over them. */
	for (size_t i = 0; i < c->nspans; i++) {
		const struct netra_svg_span *s = &c->spans[i];
		int64_t a = s->start - c->first_day, b = s->end - c->first_day;
		double x0, x1;
		char d2[11];
		if (b < 0 || a > (int64_t)c->ndays - 1)
			continue;
		if (a < 0)
			a = 0;
		if (b > (int64_t)c->ndays - 1)
			b = (int64_t)c->ndays - 1;
		x0 = LINE_LEFT + (double)a * step - step / 2;
		x1 = LINE_LEFT + (double)b * step + step / 2;
		if (x0 < LINE_LEFT)
			x0 = LINE_LEFT;
		if (x1 > LINE_LEFT + plot_w)
			x1 = LINE_LEFT + plot_w;
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		date_text(s->start, date);
		date_text(s->end, d2);
		pen_printf(&p,
			   "<rect class=\"stage\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			   "fill=\"%s\" data-stage=\"",
			   x0, LINE_TOP, x1 - x0, plot_h, i % 2 == 0 ? "#edf2f7" : "#e2e8f0");
		pen_text(&p, s->name);
		pen_printf(&p, "\"><title>");
		pen_text(&p, s->name);
		pen_printf(&p, ": %s \xe2\x80\x93 %s</title></rect>", date, d2);
		/* Names on three staggered lines, so that short stages side by
		 * side stay readable. */
		pen_printf(&p, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">", x0,
			   LINE_TOP - 6 - (int)(i % 3) * 13);
		pen_text(&p, s->name);
		pen_printf(&p, "</text>\n");
	}
	pen_printf(&p,
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#4a5568\"/>"
		   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#4a5568\"/>\n",
		   LINE_LEFT, LINE_TOP, LINE_LEFT, base, LINE_LEFT, base, LINE_LEFT + plot_w, base);
	pen_printf(&p,
		   "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%ld</text>"
		   "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">0</text>\n",
		   LINE_LEFT - 4, LINE_TOP + 4, max, LINE_LEFT - 4, base + 4);
	date_text(c->first_day, date);
	pen_printf(&p, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", LINE_LEFT,
		   base + 16, date);
	date_text(c->first_day + (int64_t)c->ndays - 1, date);
	pen_printf(&p, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%s</text>\n",
		   LINE_LEFT + plot_w, base + 16, date);
	pen_printf(&p, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
		   colours[0]);
	for (size_t i = 0; i < c->ndays; i++)
		pen_printf(&p, "%s%.1f,%.1f", i > 0 ? " " : "",
			   LINE_LEFT + (c->ndays > 1 ? (double)i * step : plot_w / 2.0),
			   base - (double)c->values[i] * plot_h / (double)max);
	pen_printf(&p, "\"/>\n");
	for (size_t i = 0; i < c->ndays; i++) {
		date_text(c->first_day + (int64_t)i, date);
		pen_printf(&p,
			   "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" "
			   "data-date=\"%s\" data-value=\"%ld\"><title>%s: %ld ",
			   LINE_LEFT + (c->ndays > 1 ? (double)i * step : plot_w / 2.0),
			   base - (double)c->values[i] * plot_h / (double)max,
			   c->values[i] > 0 ? "3" : "1.5", colours[0], date, c->values[i], date,
			   c->values[i]);
		pen_text(&p, c->series);
		pen_printf(&p, "</title></circle>\n");
	}
	pen_printf(&p, "</svg>\n");
	return p.rc;
}
