"""One class per API resource, reached as attributes of ``MigrateClouds``."""
