"""Command-line commands for triggers (registered on assistant.cli.app when imported)."""

from __future__ import annotations
