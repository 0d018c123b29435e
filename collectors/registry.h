/* The registry of source plugins (registry.c): one line per source. */
#ifndef NETRA_REGISTRY_H
#define NETRA_REGISTRY_H

#include "collectors/source.h"

/* Every source plugin, NULL-terminated. */
extern const struct netra_source_plugin *const netra_source_plugins[];

/* The plugin named name, or NULL. */
const struct netra_source_plugin *netra_source_plugin_find(const char *name);

#endif
