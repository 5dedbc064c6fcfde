"""Built-in plugins, registered like external ones (see ``plugins.DEFAULT_PLUGINS``)."""
