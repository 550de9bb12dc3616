"""Checks every write passes, whichever interface it came from (CLI, REST, dashboard, Slack,
MCP): outputs the server can deliver, text lengths and NUL characters, which PostgreSQL would
refuse with a driver error, in-app recipients who must be users of the organisation, recipient
roles the skill fills, and the names, e-mail addresses, slugs and roles of organisations, users
and tokens."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy.engine import Engine

from assistant.language.role_words import unfilled_role
from models.addresses import EMAIL_MAX, is_email_address, shown
from models.errors import InvalidInput
from models.limits import NAME_MAX, TEXT_MAX, check_text
from models.settings import Settings
from models.store.conversations import bot_token_for_org
from models.store.orgs import list_users
from models.tables.automations import OUTPUT_CHANNELS, Automation
from models.tables.orgs import ROLES
from skills.param_words import SpecsBySkill
from worker.run.recipients import wanted


def check_automation_texts(auto: Automation) -> None:
    check_text(auto.name, "The name", NAME_MAX)
    if not auto.name.strip():
        raise InvalidInput("Give the automation a name.")
    check_text(auto.description or "", "The description", TEXT_MAX)
    check_text(auto.timezone or "", "The time zone", NAME_MAX)
    if not (auto.timezone or "").strip():
        raise InvalidInput("The time zone is empty: give an IANA zone such as Europe/London.")
    for key, value in _texts(auto.params):
        check_text(value, f"Parameter '{key}'", TEXT_MAX)
    for entry in _texts(auto.output_config.get("to") or []):
        check_text(entry[1], "A recipient", NAME_MAX)
    if auto.event_type is not None:
        check_text(auto.event_type, "The event type", NAME_MAX)
    for key, value in _texts(auto.event_filter or {}):
        check_text(value, f"Event filter '{key}'", NAME_MAX)


def check_roles_filled(auto: Automation, specs: SpecsBySkill) -> None:
    """A role the skill names no one in (a pipeline report is about no one job, so it has no
    hiring manager) would make every run fail with no recipients: refused when chosen."""
    if unfilled := unfilled_role(auto.skill, wanted(auto), specs):
        raise InvalidInput(f"{unfilled}; send it to people or addresses instead.")


def check_given_timezone(value: str | None) -> None:
    """None means "the requester's zone"; an empty string is a mistake, not a default."""
    if value is not None and not value.strip():
        raise InvalidInput(
            "The time zone is empty: give an IANA zone such as Europe/London, or leave it out "
            "for your own."
        )


#: the one refusal of "skip holidays" on a trigger that does not repeat on a schedule
NO_HOLIDAY_SKIPPING = (
    "Only an automation on a repeating schedule can skip holidays; a one-off, an event "
    "trigger or a poll runs as it is."
)


def check_skips_holidays(auto: Automation) -> None:
    """An automation that skips holidays repeats on a schedule (cron or rrule): a one-off on
    a holiday would never run, and events and polls answer what happens, not the calendar."""
    if auto.trigger_type != "cron" or auto.run_once_at is not None:
        raise InvalidInput(NO_HOLIDAY_SKIPPING)


def check_in_app_recipients(engine: Engine, auto: Automation) -> None:
    """In-app messages can only reach users of the automation's organisation."""
    emails = {u.email.lower() for u in list_users(engine, auto.org_id)}
    for entry in auto.output_config.get("to") or []:
        name = str(entry).strip().lower()
        if "@" in name and name not in emails:
            raise InvalidInput(
                f"'{entry}' is not a user of your organisation; in-app messages go to its users."
            )


def _slack_unset(engine: Engine, settings: Settings, org_id: int) -> str | None:
    """How Slack would be set up for the organisation; None when Slack can deliver (a server
    bot token, or a workspace connected to it)."""
    if settings.slack.bot_token or bot_token_for_org(engine, org_id):
        return None
    if settings.slack.oauth:
        return "an admin connects a Slack workspace on the dashboard's Admin page"
    return "set SKILLTICK_SLACK_BOT_TOKEN"


def _webhook_unset(settings: Settings) -> str | None:
    """How webhook output would be set up; None when it can deliver (its signing secret)."""
    if settings.webhooks.signing_secret:
        return None
    return "whoever runs skilltick sets SKILLTICK_WEBHOOK_SIGNING_SECRET"


def output_refusal(engine: Engine, settings: Settings, org_id: int, channel: str) -> str | None:
    """Why output `channel` cannot be chosen for the organisation now (Slack or webhook output
    the server is not set up for), naming how to set it up and the outputs that can deliver;
    None when it can."""
    unset = {
        "slack": lambda: _slack_unset(engine, settings, org_id),
        "webhook": lambda: _webhook_unset(settings),
    }
    how = unset[channel]() if channel in unset else None
    if how is None:
        return None
    others = ", ".join(
        c
        for c in OUTPUT_CHANNELS
        if c not in (channel, "noop") and (c not in unset or unset[c]() is None)
    )
    what = "Slack" if channel == "slack" else "Webhook output"
    return f"{what} is not configured here ({how} to use it); choose another output: {others}."


def check_new_output(engine: Engine, settings: Settings, auto: Automation) -> None:
    """Refuse choosing an output that could never deliver. Only a new choice is checked:
    automations already posting there keep their place (their runs say why nothing went)."""
    refusal = output_refusal(engine, settings, auto.org_id, auto.output_channel)
    if refusal:
        raise InvalidInput(refusal)


def _texts(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every string inside a JSON-like value, with the top-level key it sits under."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, key or str(k))]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts(v, key)]
    return []


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


#: bidirectional overrides and isolates: they make a name read as something else
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: what a refusal calls the control characters people meet (the rest by their code alone)
_CONTROL_WORDS = {"\x00": "a NUL", "\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def _said(char: str) -> str:
    """A character a name may not hold, as a refusal names it: "a line break (U+000A)"."""
    if char in _BIDI_CONTROLS:
        word = "a bidirectional control"
    else:
        word = _CONTROL_WORDS.get(char, "a control character")
    return f"{word} (U+{ord(char):04X})"


def check_one_line(value: str, what: str) -> str:
    """A name is one line of visible text: a line break or control character in it would end
    an e-mail header (the message could not be built, so its recipient would get no mail),
    break a table row in the CLI, MCP and Slack, or reorder what the dashboard shows."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS:
            raise InvalidInput(
                f"{what} must be one line of text without control characters; "
                f"it contains {_said(char)}."
            )
    return value


def checked_name(value: str, what: str, *, required: bool = True, maximum: int = NAME_MAX) -> str:
    """A name of anything other than an automation (organisation, person, token label):
    stripped, NUL-free, one line, within `maximum` characters, and present when `required`."""
    check_text(value, what, maximum)
    check_one_line(value, what)
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{what} is empty.")
    return value


def checked_email(value: str) -> str:
    value = check_one_line(check_text(value, "The e-mail address", EMAIL_MAX), "The e-mail address")
    value = value.strip()
    if not is_email_address(value):
        raise InvalidInput(f"'{shown(value)}' is not an e-mail address.")
    return value


def checked_slug(value: str) -> str:
    value = check_text(value, "The organisation's slug", 64).strip()
    if not _SLUG.fullmatch(value):
        raise InvalidInput(
            "An organisation's slug is 1 to 63 lowercase letters, digits and dashes, starting "
            f"with a letter or digit (e.g. acme), got '{value[:80]}'."
        )
    return value


def checked_role(value: str) -> str:
    if value not in ROLES:
        raise InvalidInput(f"Unknown role '{value[:40]}'. Use one of: {', '.join(ROLES)}.")
    return value
