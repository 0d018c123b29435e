/* Logging: one line per message on standard error, tagged with the
 * component and instance ("[source:mastodon:kemdikbud] ..."). The level is
 * checked before any formatting, so a disabled debug line costs a compare. */
#ifndef NETRA_LOG_H
#define NETRA_LOG_H

#include <stdarg.h>

enum netra_log_level {
	NETRA_LOG_ERROR = 0,
	NETRA_LOG_WARN = 1,
	NETRA_LOG_INFO = 2,
	NETRA_LOG_DEBUG = 3
};

/* The current threshold; messages above it are not formatted. */
extern enum netra_log_level netra_log_threshold;

/* Set the threshold (e.g. from --verbose / --quiet). */
void netra_log_set_level(enum netra_log_level level);

/* Parse "error", "warn", "info" or "debug". Returns 0, or -1 if unknown. */
int netra_log_parse_level(const char *name, enum netra_log_level *out);

/* Write one message. component and instance may be NULL. Prefer the macros,
 * which skip the call when the level is disabled. */
void netra_log_write(enum netra_log_level level, const char *component,
		     const char *instance, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define NETRA_LOG(level, comp, inst, ...)                                      \
	do {                                                                   \
		if ((level) <= netra_log_threshold)                            \
			netra_log_write((level), (comp), (inst), __VA_ARGS__); \
	} while (0)

#define netra_error(comp, inst, ...) NETRA_LOG(NETRA_LOG_ERROR, comp, inst, __VA_ARGS__)
#define netra_warn(comp, inst, ...) NETRA_LOG(NETRA_LOG_WARN, comp, inst, __VA_ARGS__)
#define netra_info(comp, inst, ...) NETRA_LOG(NETRA_LOG_INFO, comp, inst, __VA_ARGS__)
#define netra_debug(comp, inst, ...) NETRA_LOG(NETRA_LOG_DEBUG, comp, inst, __VA_ARGS__)

#endif
