"""The automation store: settings, errors and the clock, tables (models.tables), the engine and
migrations, and the store API (models.store) that the worker and the assistant call (they never
write SQL themselves). Import what you need from its module; this front file loads nothing."""
