"""The deployment's settings: one object with a section per concern, read once from the
environment by the application's entry point and handed down section by section.

Every field is reachable two ways: the nested name (prefix SKILLTICK_, sections split by `__`,
e.g. SKILLTICK_SMTP__HOST) and the flat name deployments already use (SKILLTICK_SMTP_HOST,
SKILLTICK_DATABASE_URL, ANTHROPIC_API_KEY, ...). The nested name wins when both are set.
docs/configuration.md lists every variable; `skilltick config-docs` writes it from this module.
The sections of the outside services (SMTP, Slack, webhooks, Claude): models.settings_integrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from models.engine import SQLITE_CACHE_MB, SQLITE_MMAP_MB
from models.errors import InvalidInput
from models.settings_env import (
    ENV_PREFIX,
    NESTED_DELIMITER,
    FlatEnvSource,
    Section,
    flat_variables,
)
from models.settings_integrations import (
    AnthropicSettings,
    SlackSettings,
    SmtpSettings,
    WebhookSettings,
    is_placeholder_secret,
)

DEFAULT_HOME = Path.home() / ".skilltick"
#: the port `skilltick serve` listens on by default, and so the port of the default public URL
DEFAULT_PORT = 8080
DEFAULT_PUBLIC_URL = f"http://127.0.0.1:{DEFAULT_PORT}"


class CoreSettings(Section):
    """Where the database lives, how the worker claims and runs, how long history is kept."""

    home: Path = Field(default=DEFAULT_HOME, description="Where the SQLite database lives.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL, e.g. postgresql://user:pw@host/db for scale-out; "
        "unset: SQLite in the home directory.",
    )
    lease_seconds: int = Field(
        default=120,
        description="How long a claimed run is leased before another worker may rescue it.",
    )
    claim_batch: int = Field(default=1000, description="Occurrences claimed per transaction.")
    claim_batch_quick: int = Field(
        default=5000,
        description="Occurrences claimed per transaction once four full claims in a row held "
        "only runs recorded by the claim itself (quick runs), while that backlog lasts.",
    )
    run_threads: int = Field(default=8, description="Threads a claimed batch's runs execute on.")
    run_threads_per_org: int = Field(
        default=0,
        description="How many run threads one organisation may hold, so a slow tenant cannot "
        "hold them all (0: half of them).",
    )
    run_budget_seconds: int = Field(
        default=300,
        description="A run's lease is renewed for at most this long; past it another worker "
        "may rescue it.",
    )
    max_attempts: int = Field(default=3, description="Attempts of a failing run before it fails.")
    backoff_cap_minutes: int = Field(default=60, description="Longest wait between two attempts.")
    pause_after_failed_occurrences: int = Field(
        default=3, description="An automation failing this many occurrences in a row is paused."
    )
    catch_up_limit: int = Field(
        default=10, description="Missed occurrences caught up after downtime."
    )
    misfire_grace_seconds: int = Field(
        default=120,
        description="An occurrence claimed later than this after its time counts as missed.",
    )
    tests_per_minute: int = Field(
        default=10,
        ge=1,
        description="Test runs and previews one person may ask for in a minute (each reads "
        "live data and answers in their chat); past it they are refused in one line.",
    )
    failure_notice_interval_minutes: int = Field(
        default=60, description="At most one failure notice per automation this often."
    )
    output_ttl_hours: int = Field(
        default=24, description="How long full rendered output is kept for debugging (0: never)."
    )
    run_retention_days: int = Field(
        default=90, description="Retention of run history and processed ATS events."
    )
    audit_retention_days: int = Field(
        default=365,
        ge=1,
        description="Retention of the audit log (who changed what, and when).",
    )
    ats_sync_minutes: int = Field(
        default=15,
        ge=0,
        description="How often the worker syncs each connected ATS (a full read daily; "
        "0: never, only `skilltick ats sync`).",
    )
    conversation_ttl_hours: int = Field(
        default=24,
        description="How long a conversation remembers its pending question, draft and last "
        "automation.",
    )

    sqlite_cache_mb: int = Field(
        default=SQLITE_CACHE_MB,
        ge=0,
        description="SQLite: page cache per connection, in MB (filled as pages are read).",
    )
    sqlite_mmap_mb: int = Field(
        default=SQLITE_MMAP_MB,
        ge=0,
        description="SQLite: how much of the database file is read through a memory map, "
        "in MB (0: none).",
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'skilltick.db'}"


class TriggerSettings(Section):
    """ATS events and polls: the public address and runaway protection."""

    public_url: str = Field(
        default=DEFAULT_PUBLIC_URL,
        description="The address ATS providers and browsers reach this service at; base of the "
        "links it makes (webhook URLs, invitations, the dashboard and /mcp in every report's "
        "footer). Unset, `serve` uses the address it listens on; a worker apart names none.",
    )
    event_runs_per_minute: int = Field(
        default=120, description="Event runs per organisation per minute (runaway protection)."
    )
    max_chain_depth: int = Field(
        default=3,
        description="How deep a chain of runs-causing-events may go (0: an ATS event; a run's "
        "own change is one deeper).",
    )
    webhook_max_bytes: int = Field(
        default=1024 * 1024, description="Largest ATS webhook body accepted."
    )
    inbox_batch: int = Field(default=500, description="Received events processed per batch.")
    inbox_lease_seconds: int = Field(default=60, description="Lease of a batch of received events.")
    poll_retry_seconds: int = Field(
        default=60,
        description="A failed poll is retried this soon rather than at the next interval.",
    )


class ServiceSettings(Section):
    """The HTTP service."""

    cron_secret: SecretStr | None = Field(
        default=None,
        description="POST /cron/tick needs `Authorization: Bearer <this>` (16+ characters); "
        "unset, the endpoint is closed.",
    )
    secure_cookies: bool = Field(
        default=False, description="Mark the session cookie Secure (HTTPS)."
    )
    status_auth: bool | None = Field(
        default=None,
        description="/status and /metrics need a bearer API token or a signed-in dashboard "
        "session (/metrics an operator's, named on the host with `skilltick operators add`; "
        "an organisation's admins and members read their organisation's runs in /status). "
        "Unset: on, except under `serve --demo`.",
    )

    @property
    def status_needs_auth(self) -> bool:
        return self.status_auth is not False

    def check(self) -> None:
        """Refuse to start the service with a short or placeholder cron secret."""
        secret = self.cron_secret.get_secret_value() if self.cron_secret else ""
        if secret and (is_placeholder_secret(secret) or len(secret) < 16):
            raise InvalidInput(
                "SKILLTICK_CRON_SECRET must be at least 16 characters and not a "
                "placeholder; generate one with `openssl rand -hex 24`."
            )

    def bearer_secret(self) -> str | None:
        """The cron secret, None while unset (an empty value is unset)."""
        secret = self.cron_secret.get_secret_value() if self.cron_secret else ""
        return secret or None


class PlanLimits(BaseModel):
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
    """All settings of one deployment."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=NESTED_DELIMITER, extra="ignore"
    )

    core: CoreSettings = Field(default_factory=CoreSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    anthropic: AnthropicSettings = Field(default_factory=AnthropicSettings)
    triggers: TriggerSettings = Field(default_factory=TriggerSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    plans: dict[str, PlanLimits] = Field(
        default_factory=default_plans,
        description="Limits per plan, as JSON: "
        '{"free": {"max_active_automations": 5, ...}, "pro": {...}}.',
    )

    @model_validator(mode="before")
    @classmethod
    def _flat_overrides(cls, data: Any) -> Any:
        """Fields given by their flat name without the prefix (`database_url=...`) go into
        their section, on top of what the environment says; an unknown name is refused."""
        if not isinstance(data, dict):
            return data
        by_flat = {
            variable.removeprefix(ENV_PREFIX).lower(): place
            for variable, place in flat_variables(cls).items()
        }
        merged: dict[str, Any] = {}
        flat: list[tuple[str, Any]] = []
        for key, value in data.items():
            if key in cls.model_fields:
                merged[key] = value
            elif key.lower() in by_flat:
                flat.append((key.lower(), value))
            else:
                raise ValueError(f"unknown setting {key!r}")
        for key, value in flat:
            section, name = by_flat[key]
            slot = merged.get(section) or {}
            slot = slot.model_dump() if isinstance(slot, BaseModel) else dict(slot)
            slot[name] = value
            merged[section] = slot
        return merged

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, FlatEnvSource(settings_cls), file_secret_settings)


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment, with explicit overrides (tests, CLI flags) on top.
    An override is a whole section (`smtp=SmtpSettings(...)` or a dict of its fields) or one
    field by its flat name without the prefix (`database_url=...`, `smtp_host=...`)."""
    return Settings(**overrides)
