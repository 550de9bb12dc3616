"""Command-line commands for the service (registered on assistant.cli.app when imported)."""

from __future__ import annotations
