"""Persistence: models, sessions, queries, migrations, importers and the unit catalogue."""
