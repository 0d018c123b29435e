/* The source registry: adding a source is one file and one line here. */
#include "collectors/registry.h"

#include <string.h>

extern const struct netra_source_plugin netra_source_bluesky;
extern const struct netra_source_plugin netra_source_jsonl;
extern const struct netra_source_plugin netra_source_mastodon;
extern const struct netra_source_plugin netra_source_rss;
extern const struct netra_source_plugin netra_source_telegram;

const struct netra_source_plugin *const netra_source_plugins[] = {
	&netra_source_jsonl,
	&netra_source_mastodon,
	&netra_source_bluesky,
	&netra_source_rss,
	&netra_source_telegram,
	NULL,
};

const struct netra_source_plugin *netra_source_plugin_find(const char *name)
{
	for (size_t i = 0; netra_source_plugins[i] != NULL; i++)
		if (strcmp(netra_source_plugins[i]->name, name) == 0)
			return netra_source_plugins[i];
	return NULL;
}
