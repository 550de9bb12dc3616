"""Changes said in words to an existing automation ("move it to 8am", "make it weekdays only",
"post it in #hiring instead"). The time of day: time_edits; the days of a repeating one:
weekday_edits; a pause's end ("until Monday"): until_words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from assistant.language.cadence import cadence_params
from assistant.language.calendar_rules import build_when
from assistant.language.calendar_words import read_calendar
from assistant.language.clock_words import Text, TimesOfDay, read_times
from assistant.language.delay_words import read_delay, with_delay
from assistant.language.draft import event_name
from assistant.language.edit_hints import edit_hints
from assistant.language.edit_schedule import Timing, poll_changes, shifted, with_days
from assistant.language.edit_words import RelativeChange, read_relative
from assistant.language.end_edits import end_changes
from assistant.language.event_edits import event_changes
from assistant.language.event_words import read_condition
from assistant.language.job_words import read_jobs, takes_jobs
from assistant.language.param_edits import param_changes
from assistant.language.place_words import Here
from assistant.language.reminder_words import new_text
from assistant.language.report_words import departments_change
from assistant.language.role_words import role_question
from assistant.language.teammate_words import Teammate
from assistant.language.time_edits import (
    bare_hours_as_times,
    current_time,
    keep_until_midnight,
    retime,
)
from assistant.language.weekday_edits import check_week_rate, days_now, in_repeating_terms
from assistant.language.what_words import read_output
from models.errors import InvalidInput, ScheduleError
from models.tables.automations import Automation
from skills.param_words import SpecsBySkill
from worker.schedule.parse import next_fires, parse_schedule

# "email", "email instead", "in app", "to slack": a bare output in a change means sending it
# there, to you
_BARE_OUTPUT = re.compile(r"\b(e-?mail|in-?app|in the app|webhook|slack)\b")
_OUTPUT_OF = {
    "email": "email",
    "e-mail": "email",
    "inapp": "in_app",
    "in-app": "in_app",
    "slack": "slack",
}


def _bare_output(text: Text) -> str | None:
    """The output a change names by a bare word ("email instead"), when read_output found
    none; webhooks need their address, so naming one alone is a question."""
    m = text.find(_BARE_OUTPUT)
    if m is None:
        return None
    word = m.group(1)
    if word == "webhook":
        raise InvalidInput("Which address should it POST to? Say “send it to https://…”.")
    text.take(m)
    return _OUTPUT_OF.get(word, "in_app")


def _jobs_change(
    auto: Automation, request: str, specs: SpecsBySkill, titles: Sequence[str]
) -> dict[str, Any] | None:
    """ "only for the engineering jobs": the titles a skill with a `jobs` param keeps to."""
    if not takes_jobs(auto.skill, specs) or not (jobs := read_jobs(request, titles)):
        return None
    if jobs.question:
        raise InvalidInput(jobs.question)
    return {"params": {**(auto.params or {}), "jobs": list(jobs.titles)}}


def _one_thing(
    auto: Automation,
    request: str,
    specs: SpecsBySkill,
    job_titles: Sequence[str],
    now: datetime,
) -> dict[str, Any] | None:
    """A change that is the whole sentence: a new name, the jobs or stages it keeps to, a
    reminder's text, the wait after its event."""
    if m := re.search(
        r"\b(?:call|rename|name)\s+it\s+(?:to\s+)?[“\"']?(.+?)[”\"']?$", request, re.I
    ):
        return {"name": m.group(1).strip()}
    if jobs := _jobs_change(auto, request, specs, job_titles):
        return jobs
    if departments := departments_change(auto.skill, auto.params or {}, request, specs):
        return departments
    if ends := end_changes(auto, request, now):
        return ends
    if filtered := event_changes(auto, request, job_titles):
        return filtered
    if auto.skill == "reminder" and (said := new_text(request)) is not None:
        return {"params": {**(auto.params or {}), "message": said}}
    if _waits_after_event(auto) and (wait := read_delay(request)) is not None:
        return _wait_changed(auto, wait)
    return None


def changes_in_words(
    auto: Automation,
    request: str,
    now: datetime,
    people: Sequence[Teammate] = (),
    specs: SpecsBySkill | None = None,
    job_titles: Sequence[str] = (),
    here: Here | None = None,
) -> dict[str, Any]:
    """The update_automation changes a sentence asks for; InvalidInput if none is clear.
    `people`: the organisation's users, whom names it sends to are looked up among; `specs`:
    the caller's skills (SkillRegistry.specs()), whose roles a recipient by role must be;
    `job_titles`: the ATS's jobs, which "only for the engineering jobs" is read against;
    `here`: the place "post it here" means where the change was said (None: not read)."""
    changes: dict[str, Any] = {}
    if whole := _one_thing(auto, request, specs or {}, job_titles, now):
        return whole
    # what it does, said first: "make it 6 business days" is not a time and days
    said = request
    chosen, request = param_changes(auto, request, specs or {})
    understood = request != said  # words about what it does, even if they change nothing
    relative = read_relative(request.strip())
    text = Text(in_repeating_terms(auto, relative.rest))
    output = read_output(text, people, here)
    if output.question or (asked := role_question(auto.skill, output.to, specs or {})):
        raise InvalidInput(output.question or asked or "")
    if output.channel or (output.mentioned and output.to != ["me"]):
        changes["output_channel"] = output.channel or auto.output_channel
        changes["to"] = output.to or ["me"]
        if (
            re.match(r"\s*also\b", request, re.I)
            and changes["output_channel"] == auto.output_channel
        ):
            # "also send it to sam@...": one more recipient on the same channel
            before = list((auto.output_config or {}).get("to") or [])
            changes["to"] = list(dict.fromkeys([*before, *changes["to"]]))
    elif channel := _bare_output(text):
        changes["output_channel"], changes["to"] = channel, ["me"]
    days, business, question = read_condition(text)
    if question:
        raise InvalidInput(question)
    if days is not None:
        key, value = (
            ("stale_days", days) if auto.skill == "pipeline-report" else ("business_days", business)
        )
        changes["params"] = {**auto.params, key: value}
    check_week_rate(request)
    bare_hours_as_times(text)
    times = read_times(text)
    facts = read_calendar(text, now.astimezone(ZoneInfo(auto.timezone)).date())
    if times.question or facts.question:
        raise InvalidInput(times.question or facts.question)
    if facts.recurring or facts.once:
        current = current_time(auto)
        if not times.times and current is not None:
            times = TimesOfDay(times=[current], part_of_day=times.part_of_day)
        when = build_when(facts, times, auto.timezone, now)
        if when.question or when.schedule is None:
            raise InvalidInput(when.question or "I couldn't work out the new schedule.")
        schedule = when.schedule
        key = {"cron": "cron", "rrule": "rrule", "once": "once"}[schedule.kind]
        changes[key] = schedule.once_at if schedule.kind == "once" else schedule.expression
        if schedule.anchor is not None:  # "every other Monday" counts from the first one
            changes["anchor"] = schedule.anchor
        changes["trigger_type"] = "cron"
    elif times.times:
        minutes = {m for _, m in times.times}
        if len(minutes) > 1:
            raise InvalidInput("Several times need the same minute past the hour.")
        changes.update(retime(auto, sorted({h for h, _ in times.times}), minutes.pop()))
    if auto.trigger_type == "poll":
        poll_changes(auto.poll_interval_minutes or 0, changes)
    else:
        _relative_to_schedule(auto, changes, relative, now)
    if chosen:
        changes["params"] = {**changes.get("params", auto.params), **chosen}
    # "email me" of one that emails you already changes nothing either
    if (not changes and understood) or _as_it_is(auto, changes):
        raise InvalidInput("It does that already; nothing changed.")
    if not changes:
        hints = edit_hints(auto, specs or {}, current_time(auto), days_now(auto))
        raise InvalidInput(f"I couldn't tell what to change. Try {hints}.")
    changes.pop("trigger_type", None)
    keep_until_midnight(auto, changes)
    _follow_cadence(auto, changes, now)
    return changes


def _as_it_is(auto: Automation, changes: dict[str, Any]) -> bool:
    """Whether the changes read are all what the automation has already (and there are some)."""
    now = {
        "output_channel": auto.output_channel,
        "to": list((auto.output_config or {}).get("to") or []),
        "params": dict(auto.params or {}),
        "cron": auto.cron_expression,
        "rrule": auto.rrule,
        "trigger_type": auto.trigger_type,
    }
    return bool(changes) and all(key in now and now[key] == value for key, value in changes.items())


def _wait_changed(auto: Automation, minutes: int) -> dict[str, Any]:
    """The changes that make an event automation wait `minutes` after its event; the name it
    was given says its wait, so that name follows (a name of the owner's own stays)."""
    waiting = with_delay(auto.event_filter or {}, minutes)
    changes: dict[str, Any] = {"event_filter": waiting}
    generated = event_name(auto.skill, auto.event_type or "", auto.event_filter or {})
    if auto.name.casefold() == generated.casefold():
        changes["name"] = event_name(auto.skill, auto.event_type or "", waiting)
    return changes


def _waits_after_event(auto: Automation) -> bool:
    """An event automation whose run may wait after its event (one hung off an interview's
    start moves with the interview instead)."""
    relative = (auto.event_filter or {}).get("relative_to")
    return auto.trigger_type == "event" and relative in (None, "event")


def _follow_cadence(auto: Automation, changes: dict[str, Any], now: datetime) -> None:
    """A report that comes at another cadence says so: "every other week" makes a weekly
    pipeline report fortnightly (a change of time alone keeps its params)."""
    if not {"cron", "rrule", "once"} & set(changes):
        return
    try:
        before = cadence_params(auto.skill, _runs(_timing(auto, {}), now))
        after = cadence_params(auto.skill, _runs(_timing(auto, changes), now))
    except ScheduleError:
        return
    if after and before != after:
        changes["params"] = {**changes.get("params", auto.params), **after}


def _runs(timing: Timing, now: datetime) -> list[datetime]:
    if not (timing.cron or timing.rrule or timing.once):
        return []
    schedule = parse_schedule(
        cron=timing.cron, rrule=timing.rrule, once=timing.once, tz=timing.tz, anchor=timing.anchor
    )
    return next_fires(schedule, now, 4)


def _timing(auto: Automation, changes: dict[str, Any]) -> Timing:
    """The schedule as the changes so far leave it."""
    if {"cron", "rrule", "once"} & set(changes):
        return Timing(
            changes.get("cron"),
            changes.get("rrule"),
            changes.get("once"),
            auto.timezone,
            changes.get("anchor"),
        )
    if auto.trigger_type != "cron":
        return Timing(None, None, None, auto.timezone)
    return Timing(
        auto.cron_expression, auto.rrule, auto.run_once_at, auto.timezone, auto.schedule_anchor
    )


def _relative_to_schedule(
    auto: Automation, changes: dict[str, Any], relative: RelativeChange, now: datetime
) -> None:
    """Days taken out or put in, then every time moved: on the schedule as it is after the
    other changes of the same sentence."""
    if relative.unsigned is not None:
        raise InvalidInput(
            f"{relative.unsigned[0].upper()}{relative.unsigned[1:]} earlier or later?"
        )
    if relative.remove or relative.add:
        changes.update(with_days(_timing(auto, changes), relative.remove, relative.add))
    if relative.shift is not None:
        changes.update(shifted(_timing(auto, changes), relative.shift, now))
