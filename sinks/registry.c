/* The registry of sink plugins: one line per sink. */
#include "sinks/sink.h"

#include <string.h>

extern const struct netra_sink_plugin netra_sink_review;
extern const struct netra_sink_plugin netra_sink_sqlite;

const struct netra_sink_plugin *const netra_sink_plugins[] = {
	&netra_sink_review,
	&netra_sink_sqlite,
	NULL,
};

const struct netra_sink_plugin *netra_sink_plugin_find(const char *name)
{
	for (size_t i = 0; netra_sink_plugins[i] != NULL; i++) {
		if (strcmp(netra_sink_plugins[i]->name, name) == 0)
			return netra_sink_plugins[i];
	}
	return NULL;
}
