"""Deployment settings from the environment (prefix SKILLTICK_) with embedded defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOME = Path.home() / ".skilltick"
#: the port `skilltick serve` listens on by default, and so the port of the default public URL
DEFAULT_PORT = 8080
DEFAULT_PUBLIC_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
#: values people paste from examples instead of a real secret
PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "secret", "password", "example", "xxx"})


def is_placeholder_secret(value: str) -> bool:
    """True for a secret copied from an example ("changeme", "secret", ...), never a real one."""
    return value.strip().lower() in PLACEHOLDER_SECRETS


class PlanLimits(BaseSettings):
    """One plan's limits; None means unlimited."""

    max_active_automations: int | None
    min_interval_minutes: int
    logged_runs_per_month: int | None
    runs_per_minute: int | None


def default_plans() -> dict[str, PlanLimits]:
    return {
        "free": PlanLimits(
            max_active_automations=5,
            min_interval_minutes=24 * 60,
            logged_runs_per_month=None,
            runs_per_minute=30,
        ),
        "pro": PlanLimits(
            max_active_automations=None,
            min_interval_minutes=1,
            logged_runs_per_month=500,
            runs_per_minute=600,
        ),
        "enterprise": PlanLimits(
            max_active_automations=None,
            min_interval_minutes=1,
            logged_runs_per_month=None,
            runs_per_minute=None,
        ),
    }


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKILLTICK_", extra="ignore")

    home: Path = DEFAULT_HOME
    database_url: str | None = None  # default: sqlite file under home

    # worker
    lease_seconds: int = 120
    claim_batch: int = 1000
    # runs of a batch execute on this many threads; one organisation uses at most
    # run_threads_per_org of them (0: half of them), so a slow tenant cannot hold them all
    run_threads: int = 8
    run_threads_per_org: int = 0
    # a run's lease is renewed for at most this long; past it another worker may rescue it
    run_budget_seconds: int = 300
    max_attempts: int = 3
    backoff_cap_minutes: int = 60
    pause_after_failed_occurrences: int = 3
    catch_up_limit: int = 10
    # an occurrence claimed later than this after its time counts as missed (worker was down)
    misfire_grace_seconds: int = 120
    failure_notice_interval_minutes: int = 60

    # history
    output_ttl_hours: int = 24  # full rendered output kept for debugging; 0 = never kept
    run_retention_days: int = 90
    # how long a conversation remembers its pending question, draft and last automation
    conversation_ttl_hours: int = 24

    # email
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "skilltick <automations@skilltick.local>"

    plans: dict[str, PlanLimits] = Field(default_factory=default_plans)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'skilltick.db'}"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides (tests, CLI flags)."""
    return Settings(**overrides)  # type: ignore[arg-type]
