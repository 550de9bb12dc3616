"""Trigger settings from the environment (prefix SKILLTICK_), with defaults that suit one
machine. Kept apart from models.settings so this area can evolve without touching the core."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from models.settings import DEFAULT_PUBLIC_URL

MIB = 1024 * 1024


class TriggerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKILLTICK_", extra="ignore")

    # the address ATS providers reach this service at, for the webhook URLs we print
    public_url: str = DEFAULT_PUBLIC_URL
    # runaway protection: event runs per organisation per minute, and how deep a chain of
    # runs-causing-events may go (0 = an ATS event; a run's own change is one deeper)
    event_runs_per_minute: int = 120
    max_chain_depth: int = 3
    webhook_max_bytes: int = MIB
    inbox_batch: int = 500
    inbox_lease_seconds: int = 60
    # a failed poll is retried this soon rather than at the next interval
    poll_retry_seconds: int = 60


def webhook_url(settings: TriggerSettings, provider: str, key: str) -> str:
    return f"{settings.public_url.rstrip('/')}/webhooks/ats/{provider}/{key}"
