"""The fields a change to an automation may set, typed: REST's PATCH body and MCP's
update_automation `fields` read the same model, so a wrong type is refused in one line at both
doors instead of reaching the store."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from models.errors import InvalidInput


class AutomationChanges(BaseModel):
    """Only the fields you send change; the rest stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    skill: str | None = Field(default=None, max_length=100)
    params: dict[str, Any] | None = None
    cron: str | None = Field(default=None, max_length=120)
    rrule: str | None = Field(default=None, max_length=300)
    once: AwareDatetime | None = None
    timezone: str | None = Field(default=None, max_length=64)
    to: list[str] | None = Field(default=None, max_length=50)
    output_channel: str | None = Field(default=None, max_length=20)
    misfire_policy: str | None = Field(default=None, max_length=10)
    overlap_policy: str | None = Field(default=None, max_length=12)
    skip_holidays: bool | None = Field(
        default=None, description="Skip the runs on the organisation's holidays (or not)."
    )
    event_type: str | None = Field(default=None, max_length=80)
    event_filter: dict[str, Any] | None = None
    poll_interval_minutes: int | None = Field(default=None, ge=1, le=527_040)
    owner_email: str | None = Field(
        default=None,
        max_length=320,
        description="Admins: give it to this colleague (their automation from now on).",
    )

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(exclude_unset=True)
        for key in (
            "name",
            "skill",
            "timezone",
            "output_channel",
            "misfire_policy",
            "overlap_policy",
            "skip_holidays",
            "params",
            "event_filter",
            "to",
            "description",
            "owner_email",
        ):
            if key in sent and sent[key] is None:
                raise InvalidInput(f"{key} cannot be null.")
        return sent
