"""Settings of the skills' outside connections: Slack, signed webhooks and the Anthropic API.

Read from the environment with the prefix SKILLTICK_ (SKILLTICK_SLACK_BOT_TOKEN,
SKILLTICK_WEBHOOK_ALLOWLIST, SKILLTICK_ANTHROPIC_MODEL, ...); the Anthropic API key is the
standard ANTHROPIC_API_KEY. Nothing here is required: without a Slack token the slack channel says
it is not set up, without an API key LLM and hybrid skills run deterministically.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODEL = "claude-sonnet-4-5"


class SkillsConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SKILLTICK_", extra="ignore", populate_by_name=True
    )

    # Slack (a bot token with chat:write, im:write and users:read.email)
    slack_bot_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_timeout_seconds: float = 10.0

    # webhooks: hosts or IP/CIDR ranges allowed even when private (comma-separated in the env)
    webhook_allowlist: Annotated[list[str], NoDecode] = Field(default_factory=list)
    webhook_signing_secret: str | None = None
    webhook_timeout_seconds: float = 10.0

    # the Anthropic API, for LLM and hybrid skills
    anthropic_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("ANTHROPIC_API_KEY", "anthropic_api_key")
    )
    anthropic_model: str = DEFAULT_MODEL
    anthropic_max_turns: int = Field(default=6, ge=1, le=20)
    anthropic_max_tokens: int = Field(default=1024, ge=16, le=16384)
    anthropic_timeout_seconds: float = Field(default=60.0, gt=0)
    anthropic_base_url: str | None = None
    # mark the system prompt (skill instructions + tools) cacheable; off only to measure
    anthropic_prompt_caching: bool = True

    @field_validator("webhook_allowlist", mode="before")
    @classmethod
    def _split_allowlist(cls, value: Any) -> Any:
        # "hooks.internal, 10.1.0.0/16" from the environment; a list from code
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins the method name straight onto the base URL
        return value if value.endswith("/") else value + "/"


def load_skills_config(**overrides: Any) -> SkillsConfig:
    """The environment's settings, with `overrides` (tests, embedding) on top."""
    return SkillsConfig(**overrides)
