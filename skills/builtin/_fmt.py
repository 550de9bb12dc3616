"""Formatting and lookup helpers the built-in skills share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.errors import NotFound, SkillError
from skills.base import Addressee, SkillContext
from skills.calendar import zone

MAX_LISTED = 50


def day(moment: datetime) -> str:
    return f"{moment:%a %b} {moment.day}"


def clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M %p}"


def when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{day(local)}, {clock(local)} {local:%Z}"


def local_zone(ctx: SkillContext) -> ZoneInfo:
    return zone(ctx.tz, ctx.org_timezone)


def trigger_id(ctx: SkillContext, key: str, skill: str, event: str) -> int:
    """An id from the event that started the run; a clear error when the run has none."""
    value = ctx.trigger_data.get(key)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        thing = key.replace("_id", "")
        article = "an" if thing[:1] in "aeiou" else "a"
        event_article = "an" if event[:1] in "aeiou" else "a"
        raise SkillError(
            f"Skill {skill} needs {article} {thing}: run it from {event_article} "
            f"{event} event (the event's data has no '{key}')"
        )
    return value


def user_addressee(ctx: SkillContext, role: str, user_id: int | None) -> Addressee | None:
    if user_id is None:
        return None
    try:
        user = ctx.ats.user(user_id)
    except NotFound:
        return None
    return Addressee(role, user.email, user.name, user.id, user.timezone)


def user_name(ctx: SkillContext, user_id: int | None) -> str:
    found = user_addressee(ctx, "user", user_id)
    return found.name or found.email if found else "unassigned"


def user_names(ctx: SkillContext) -> Callable[[int | None], str]:
    """user_name for many rows: the organisation's users read once."""
    users = ctx.ats.users()

    def name(user_id: int | None) -> str:
        user = users.get(user_id) if user_id is not None else None
        return user.name or user.email if user else "unassigned"

    return name


def listed(
    items: list[Any], limit: int = MAX_LISTED, total: int | None = None
) -> tuple[list[Any], int]:
    return items[:limit], max(0, (len(items) if total is None else total) - limit)


def section(
    heading: str,
    items: list[dict[str, Any]] | None = None,
    *,
    paragraphs: list[str] | None = None,
    empty: str = "Nothing here.",
    total: int | None = None,
) -> dict[str, Any]:
    """`total`: how many items there are when `items` holds only the first MAX_LISTED."""
    shown, more = listed([{"flag": "", **item} for item in items or []], total=total)
    return {
        "heading": heading,
        "items": shown,
        "more": more,
        "paragraphs": paragraphs or [],
        "empty": empty,
    }
