#include "core/log.h"

#include <stdio.h>
#include <string.h>

enum netra_log_level netra_log_threshold = NETRA_LOG_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void netra_log_set_level(enum netra_log_level level)
{
	netra_log_threshold = level;
}

int netra_log_parse_level(const char *name, enum netra_log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum netra_log_level)i;
			return 0;
		}
	}
	return -1;
}

void netra_log_write(enum netra_log_level level, const char *component,
		     const char *instance, const char *fmt, ...)
{
	char line[2048];
	size_t used = 0;
	int n;
	va_list ap;

	n = snprintf(line, sizeof(line), "netra: ");
	if (n > 0)
		used = (size_t)n;
	if (component != NULL) {
		n = snprintf(line + used, sizeof(line) - used, "[%s%s%s] ", component,
			     instance ? ":" : "", instance ? instance : "");
		if (n > 0)
			used += (size_t)n;
		if (used >= sizeof(line))
			used = sizeof(line) - 1;
	}
	if (level != NETRA_LOG_INFO) {
		n = snprintf(line + used, sizeof(line) - used, "%s: ",
			     level_names[level]);
		if (n > 0)
			used += (size_t)n;
		if (used >= sizeof(line))
			used = sizeof(line) - 1;
	}
	va_start(ap, fmt);
	vsnprintf(line + used, sizeof(line) - used, fmt, ap);
	va_end(ap);
	/* One fputs per line keeps lines whole when several threads log. */
	fprintf(stderr, "%s\n", line);
}
