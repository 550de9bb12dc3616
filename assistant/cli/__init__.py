"""The `skilltick` command line: a thin adapter over the tool set."""
