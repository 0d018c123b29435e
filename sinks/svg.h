/* Charts for reports, drawn by hand as inline SVG (no libraries, nothing
 * fetched): horizontal bar charts for rankings and a line chart of counts
 * per day with an election's stages marked. Every bar and every point
 * carries its number twice: as data-value and in a <title> (a tooltip), so
 * that a reader, a screen reader and a test see the same figures as the
 * table beside the chart. The output is well-formed XML. */
#ifndef NETRA_SVG_H
#define NETRA_SVG_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

/* Most series one bar chart draws side by side. */
#define NETRA_SVG_MAX_SERIES 4

/* A bar chart: nrows groups of nseries bars. All borrowed. */
struct netra_svg_bars {
	const char *title;          /* what the chart shows (aria-label) */
	const char *const *labels;  /* one label per row */
	size_t nrows;               /* rows */
	const char *const *series;  /* one name per series */
	size_t nseries;             /* series, 1..NETRA_SVG_MAX_SERIES */
	const long *values;         /* nrows * nseries counts, row by row */
};

/* A stretch of days marked on a line chart (an election stage). */
struct netra_svg_span {
	const char *name; /* stage name */
	int64_t start;    /* first day, days since 1970-01-01 */
	int64_t end;      /* last day, inclusive */
};

/* A line chart of one count per day. All borrowed. */
struct netra_svg_line {
	const char *title;                 /* what the chart shows (aria-label) */
	const char *series;                /* what is counted ("Flag") */
	int64_t first_day;                 /* the day of values[0] */
	const long *values;                /* one count per day */
	size_t ndays;                      /* days, at least 1 */
	const struct netra_svg_span *spans; /* stages to mark, may be NULL */
	size_t nspans;                     /* entries in spans */
};

/* Append s to out with &, <, >, " and ' escaped (valid in XML and HTML
 * text and attributes). Returns 0, NETRA_ETOOBIG or NETRA_ENOMEM. */
int netra_xml_escape(struct netra_buf *out, const char *s);

/* Append the <svg> element of a bar chart. Returns 0, NETRA_EINVAL (no
 * series or too many), NETRA_ETOOBIG or NETRA_ENOMEM. */
int netra_svg_bars(struct netra_buf *out, const struct netra_svg_bars *c);

/* Append the <svg> element of a line chart. Returns 0, NETRA_EINVAL (no
 * days), NETRA_ETOOBIG or NETRA_ENOMEM. */
int netra_svg_line(struct netra_buf *out, const struct netra_svg_line *c);

#endif
