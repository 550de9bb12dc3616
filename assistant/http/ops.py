"""Operations endpoints (issue 6): /healthz, /status, /metrics, POST /cron/tick."""

from __future__ import annotations

from fastapi import FastAPI

from assistant.app import AppContext


def install(app: FastAPI, ctx: AppContext) -> None:
    """Add this surface's routes to the app."""
