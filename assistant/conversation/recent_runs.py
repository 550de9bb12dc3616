"""Runs across the speaker's automations ("show me failed runs", "what failed yesterday?",
"what ran today?"): the latest runs the tool set shows them (an admin's: everyone's), those
that failed only when asked, within the speaker's today, yesterday or the last 7 days when
the question names one."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assistant.conversation import words
from assistant.conversation.reply import Reply
from assistant.conversation.windows import Window
from assistant.conversation.windows import window as calendar_window

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

READ = 200  # the latest runs looked through: one page of the tool set's history
SHOWN = 20
FAILED = ("failed", "partial")
_SAID = {"today": " today", "yesterday": " yesterday", "week": " in the last 7 days", "": ""}


def past_window(window: str, now: datetime, zone: ZoneInfo) -> tuple[datetime | None, datetime]:
    """[start, end) of "today", "yesterday" or "week" up to now; start None: no bound."""
    today = datetime.combine(now.astimezone(zone).date(), time(0), zone)
    if window == "today":
        return today, now
    if window == "yesterday":
        return today - timedelta(days=1), today
    if window == "week":
        return now - timedelta(days=7), now
    return None, now


def recent_runs(
    tools: Toolset, actor: Actor, failed: bool, window: str, *, span: Window | None = None
) -> Reply:
    """The runs of `window` ("today", "yesterday", "thisweek", "week" for the last 7 days or
    "" for the latest), or of `span` when given (said as the span says itself)."""
    tz = tools.zone_of(actor)
    start, end = past_window(window, tools.clock(), ZoneInfo(tz))
    if window == "thisweek":
        span = calendar_window("this week", tools.clock(), ZoneInfo(tz))
    said = _SAID.get(window, "")
    if span is not None:
        start, end, said = span.start, span.end, f" {span.said}"
    latest = tools.list_runs(actor, limit=READ)
    # more runs than one page since the window began: say the answer covers the latest only
    among = (
        f" among the latest {READ}"
        if len(latest) == READ and (start is None or latest[-1].scheduled_for >= start)
        else ""
    )
    runs = [
        r
        for r in latest
        if r.triggered_by != "test"
        and (not failed or r.status in FAILED)
        and (start is None or start <= r.scheduled_for < end)
    ]
    what = "failed runs" if failed else "runs"
    if not runs:
        return Reply(f"No {what}{said}{among}.", "list", data=[])
    lines = [f"#{r.automation_id} · {words.run_line(r, tz)}" for r in runs[:SHOWN]]
    more = len(runs) - SHOWN
    heading = f"{what[0].upper()}{what[1:]}{said}{among}, newest first:"
    return Reply(
        "\n".join([heading, *lines])
        + (f"\n…and {more} more; “history of #N” shows one automation's." if more > 0 else ""),
        "list",
        data=[r.model_dump(mode="json") for r in runs[:SHOWN]],
    )
