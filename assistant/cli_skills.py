"""Command-line commands for skills (registered on assistant.cli.app when imported)."""

from __future__ import annotations
