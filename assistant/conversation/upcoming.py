"""What runs next ("what's coming up?", "what runs today?"): the speaker's active scheduled
automations in the order of their next run, within the speaker's today, tomorrow or the
seven days ahead when the question names one. Automations that wait for events are named
after the list: they have no time to be placed at."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from assistant.conversation import words
from assistant.conversation.reply import Reply
from models.errors import ScheduleError
from worker.schedule.parse import next_fire, parse_schedule

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset
    from assistant.tools.views import AutomationView

# "the next one" said of no automation in particular
NEXT_ONE = {"the next one", "next one", "the next", "the next run", "next run"}
_SAID = {"today": "today", "tomorrow": "tomorrow", "week": "in the next 7 days"}


def window_of(window: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime | None]:
    """[start, end) of "today", "tomorrow" or "week" in the speaker's zone; end None: open."""
    today = now.astimezone(zone).date()

    def midnight(days: int) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(0), zone)

    if window == "today":
        return now, midnight(1)
    if window == "tomorrow":
        return midnight(1), midnight(2)
    if window == "week":
        return now, now + timedelta(days=7)
    return now, None


def _first_in(view: AutomationView, start: datetime, end: datetime | None) -> datetime | None:
    """The view's first run in [start, end): from its next runs, or, when it runs so often
    that they all come before `start`, from its cron schedule."""
    times = view.next_runs or ([view.next_run_at] if view.next_run_at else [])
    times = [t for t in times if t not in view.skipped]  # runs skipped as asked are not coming
    if times and times[-1] < start and view.cron:
        try:
            later = next_fire(parse_schedule(cron=view.cron, tz=view.timezone), start)
        except ScheduleError:
            later = None
        times = [later] if later is not None else []
    return next((t for t in times if t >= start and (end is None or t < end)), None)


def upcoming(tools: Toolset, actor: Actor, state: dict[str, Any], window: str) -> Reply:
    tz = tools.zone_of(actor)
    zone = ZoneInfo(tz)
    start, end = window_of(window, tools.clock(), zone)
    views = [v for v in tools.list_automations(actor) if v.enabled]
    timed: list[tuple[datetime, AutomationView]] = []
    for view in views:
        first = _first_in(view, start, end)
        if view.trigger_type != "event" and first is not None:
            timed.append((first, view))
    timed.sort(key=lambda pair: pair[0])
    state["listed"] = [v.id for _, v in timed]
    if len(timed) == 1:
        state["focus"] = timed[0][1].id
    on_events = [v for v in views if v.trigger_type == "event"]
    events = (
        "\nOn events: " + ", ".join(f"#{v.id} {v.name}" for v in on_events) if on_events else ""
    )
    if not timed:
        said = f" {_SAID[window]}" if window else ""
        return Reply(f"Nothing is scheduled to run{said}.{events}", "list", data=[])
    lines = [f"{i + 1}. {words.when(t, tz)} · #{v.id} {v.name}" for i, (t, v) in enumerate(timed)]
    heading = f"Scheduled {_SAID[window]}:" if window else "Coming up, soonest first:"
    return Reply(
        "\n".join([heading, *lines]) + events,
        "list",
        data=[v.model_dump(mode="json") for _, v in timed],
    )


def soonest(tools: Toolset, actor: Actor) -> Reply:
    """The speaker's next scheduled run among their active automations: which, and when in
    its own zone."""
    now = tools.clock()
    timed = [
        (first, view)
        for view in tools.list_automations(actor, everyone=False)
        if view.enabled
        and view.trigger_type != "event"
        and (first := _first_in(view, now, None)) is not None
    ]
    if not timed:
        return Reply("None of your automations has a run coming up.", "info")
    first, view = min(timed, key=lambda pair: (pair[0], pair[1].id))
    return Reply(
        f"Your next run is {words.title(view)}, on {words.when(first, view.timezone)}.",
        "info",
        data=view.model_dump(mode="json"),
        automation_id=view.id,
    )
