"""The settings of the outside services skilltick talks to: outgoing email (SMTP), Slack (the
output channel and the app), outgoing webhooks and Claude; and the check that refuses a secret
pasted from an example."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from models.errors import InvalidInput
from models.settings_env import ENV_PREFIX, Section, flat_name

DEFAULT_MODEL = "claude-sonnet-4-5"
#: values people paste from examples instead of a real secret
PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "secret", "password", "example", "xxx"})


def is_placeholder_secret(value: str) -> bool:
    """True for a secret copied from an example ("changeme", "secret", ...), never a real one."""
    return value.strip().lower() in PLACEHOLDER_SECRETS


class SmtpSettings(Section):
    """Outgoing email; without a host, mail goes to the local outbox."""

    FLAT_PREFIX: ClassVar[str] = ENV_PREFIX + "SMTP_"

    host: str | None = Field(default=None, description="SMTP server; unset: the local outbox.")
    port: int = Field(default=25, description="SMTP port.")
    username: str | None = Field(default=None, description="SMTP login.")
    password: str | None = Field(default=None, description="SMTP password.")
    starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS.")
    timeout_seconds: float = Field(default=10.0, description="SMTP connection timeout.")
    mail_from: str = Field(
        default="skilltick <automations@skilltick.local>",
        description="Sender address.",
        json_schema_extra=flat_name(ENV_PREFIX + "MAIL_FROM"),
    )


class SlackSettings(Section):
    """The Slack output channel and the Slack app (bot token with chat:write, im:write and
    users:read.email)."""

    FLAT_PREFIX: ClassVar[str] = ENV_PREFIX + "SLACK_"

    bot_token: str = Field(
        default="", description="Bot token: the Slack output channel and the bot."
    )
    signing_secret: str = Field(
        default="", description="The Slack app's signing secret (Basic Information page)."
    )
    app_token: str = Field(default="", description="App-level token, for Socket Mode.")
    org: str | None = Field(
        default=None, description="The organisation of a single-workspace install (its slug)."
    )
    client_id: str = Field(
        default="",
        description="The app's client id (Basic Information page): installs in many "
        "workspaces through OAuth at /slack/install.",
    )
    client_secret: str = Field(default="", description="The app's client secret, for OAuth.")
    api_url: str = Field(default="https://slack.com/api/", description="Slack Web API base URL.")
    timeout_seconds: float = Field(default=10.0, description="Slack Web API timeout.")
    interim_after_seconds: float = Field(
        default=2.0,
        description='A Slack answer taking longer shows "Working on it…" first, then replaces it.',
    )

    @field_validator("api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins the method name straight onto the base URL
        return value if value.endswith("/") else value + "/"

    @property
    def oauth(self) -> bool:
        """Installs in many workspaces through OAuth (a client id and secret are set)."""
        return bool(self.client_id and self.client_secret)

    @property
    def enabled(self) -> bool:
        return bool(self.signing_secret and (self.bot_token or self.oauth))

    def check(self) -> None:
        """Refuse to start the Slack app with a missing or placeholder signing secret."""
        if not self.signing_secret or is_placeholder_secret(self.signing_secret):
            raise InvalidInput(
                "SKILLTICK_SLACK_SIGNING_SECRET is a placeholder; use the "
                "signing secret from your Slack app's Basic Information page."
            )


class WebhookSettings(Section):
    """The webhook output channel."""

    FLAT_PREFIX: ClassVar[str] = ENV_PREFIX + "WEBHOOK_"

    allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts or IP/CIDR ranges allowed despite the private-address guard "
        "(comma-separated).",
    )
    signing_secret: str | None = Field(
        default=None,
        description="The service's webhook secret: each organisation's deliveries are signed "
        "with a secret derived from it and the organisation (`skilltick connections "
        "webhook-secret` shows an admin theirs).",
    )
    timeout_seconds: float = Field(default=10.0, description="Webhook delivery timeout.")

    @field_validator("allowlist", mode="before")
    @classmethod
    def _split_allowlist(cls, value: Any) -> Any:
        # "hooks.internal, 10.1.0.0/16" from the environment; a list from code
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value


class AnthropicSettings(Section):
    """Claude, for planning requests and for LLM and hybrid skills; without a key both run
    deterministically."""

    FLAT_PREFIX: ClassVar[str] = ENV_PREFIX + "ANTHROPIC_"

    api_key: str | None = Field(
        default=None,
        description="Anthropic API key.",
        json_schema_extra=flat_name("ANTHROPIC_API_KEY"),
    )
    model: str = Field(default=DEFAULT_MODEL, description="The model LLM and hybrid skills run on.")
    max_turns: int = Field(default=6, ge=1, le=20, description="Tool-use turns of one skill run.")
    max_tokens: int = Field(default=1024, ge=16, le=16384, description="Tokens of one answer.")
    timeout_seconds: float = Field(default=60.0, gt=0, description="Time one skill run may take.")
    base_url: str | None = Field(
        default=None,
        description="API base URL; unset: the SDK's (ANTHROPIC_BASE_URL or Anthropic's).",
    )
    prompt_caching: bool = Field(
        default=True, description="Mark the system prompt cacheable (off only to measure)."
    )
    planner_model: str = Field(
        default=DEFAULT_MODEL,
        description="The model that plans requests.",
        json_schema_extra=flat_name(ENV_PREFIX + "CLAUDE_MODEL"),
    )
    planner_budget_seconds: float = Field(
        default=15.0,
        gt=0,
        description="How long planning may take in all before the parser answers.",
        json_schema_extra=flat_name(ENV_PREFIX + "CLAUDE_BUDGET_SECONDS"),
    )
    planner_requests_per_hour: int = Field(
        default=60,
        ge=0,
        description="Requests Claude reads for one person in an hour; past it the parser reads "
        "theirs alone (the reply says so once).",
        json_schema_extra=flat_name(ENV_PREFIX + "CLAUDE_REQUESTS_PER_HOUR"),
    )
