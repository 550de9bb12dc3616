"""Command-line commands for the assistant (registered on assistant.cli.app when imported)."""

from __future__ import annotations
