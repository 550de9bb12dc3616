"""Changes said in words to an existing automation ("move it to 8am", "make it weekdays only",
"post it in #hiring instead"), pause end dates ("until Monday") and bulk commands ("pause all
of Dana's automations", "resume everything paused this week")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from assistant.language.cadence import cadence_params
from assistant.language.calendar_rules import build_when, once_at
from assistant.language.calendar_words import read_calendar
from assistant.language.clock_words import Text, TimesOfDay, read_times
from assistant.language.data_words import lead_to_midnight
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
from assistant.language.reminder_words import new_text
from assistant.language.report_words import departments_change
from assistant.language.role_words import role_question
from assistant.language.teammate_words import Teammate
from assistant.language.until_words import span_end
from assistant.language.what_words import read_output
from assistant.language.words import NUMBER_WORDS
from models.errors import InvalidInput, ScheduleError
from models.tables.automations import Automation
from skills.param_words import SpecsBySkill
from worker.schedule.parse import next_fires, parse_schedule
from worker.schedule.rrule import rrule_parts


def _current_time(auto: Automation) -> tuple[int, int] | None:
    """The time of day an automation runs at, when it has one."""
    return _time_of(auto.cron_expression, auto.rrule, auto.run_once_at, auto.timezone)


def _time_of(
    cron: str | None, rrule: str | None, once: datetime | None, tz: str
) -> tuple[int, int] | None:
    if cron:
        minute, hour = cron.split()[:2]
        if minute.isdigit() and hour.isdigit():
            return int(hour), int(minute)
    if rrule:
        parts = rrule_parts(rrule)
        if parts.get("BYHOUR", "").isdigit() and parts.get("BYMINUTE", "").isdigit():
            return int(parts["BYHOUR"]), int(parts["BYMINUTE"])
    if once:
        local = once.astimezone(ZoneInfo(tz))
        return local.hour, local.minute
    return None


def _keep_until_midnight(auto: Automation, changes: dict[str, Any]) -> None:
    """An interview briefing that lists the interviews until midnight keeps doing so from the
    new time it is moved to."""
    lead = (auto.params or {}).get("lead_minutes")
    before = _current_time(auto)
    after = _time_of(changes.get("cron"), changes.get("rrule"), changes.get("once"), auto.timezone)
    if auto.skill != "interview-briefing" or before is None or after is None or after == before:
        return
    if lead != lead_to_midnight(*before):
        return
    changes["params"] = {
        **changes.get("params", auto.params),
        "lead_minutes": lead_to_midnight(*after),
    }


def _retime(auto: Automation, hours: list[int], minute: int) -> dict[str, Any]:
    hour_field = ",".join(str(h) for h in hours)
    if auto.cron_expression:
        fields = auto.cron_expression.split()
        if fields[1] == "*" or "/" in fields[0]:
            raise InvalidInput(
                "It runs every few minutes or hours, so it has no time of day "
                "to move; say a new schedule instead, e.g. “every weekday at "
                "8am”."
            )
        return {"cron": " ".join([str(minute), hour_field, *fields[2:]])}
    if auto.rrule:
        parts = rrule_parts(auto.rrule)
        parts["BYHOUR"], parts["BYMINUTE"] = hour_field, str(minute)
        return {"rrule": ";".join(f"{k}={v}" for k, v in parts.items())}
    if auto.run_once_at:
        zone = ZoneInfo(auto.timezone)
        local = auto.run_once_at.astimezone(zone)
        return {"once": local.replace(hour=hours[0], minute=minute).astimezone(ZoneInfo("UTC"))}
    if auto.trigger_type == "poll":
        return {"cron": f"{minute} {hour_field} * * *"}  # refused as a poll's by poll_changes
    raise InvalidInput("It runs on events, not at a time of day; say which event instead.")


# "move it to 9", "make it 10", "set it for 9": in a change, a bare hour right after these
# words is a time of day, read as "at 9" is in a new request (the same length, so the
# positions of the working text stay those of the user's words)
_HOUR_AFTER = re.compile(r"(?<!quarter )(?<!half )\b(it|to|for)(?=\s+\d{1,2}\b(?![:.]\d))")
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


_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_BYDAY = dict(zip(("SU", "MO", "TU", "WE", "TH", "FR", "SA"), _DAYS, strict=True))
_DAY_RE = "|".join(_DAYS)
# "move it to Thursday": for a repeating automation, its weekday (not one Thursday)
_ONE_DAY = re.compile(rf"(?<!next )(?<!this )(?<!coming )\b({_DAY_RE})\b(?!s|')", re.I)
_A_DATE = re.compile(
    r"\b(?:next|this|coming|tomorrow|today|tonight|once|\d{1,2}(?:st|nd|rd|th)|\d{1,2}/\d|"
    r"jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)
# "every other week", "biweekly": a step of weeks, on the days it runs now unless others are named
_WEEKS = re.compile(
    r"\b(?:bi-?weekly|fortnightly|every\s+(?:other|second|two|three|four|\d{1,2})\s+weeks?)\b", re.I
)
# "twice a week": how many runs a week, not on which days
_WEEK_RATE = re.compile(
    r"\b(twice|thrice|(?:two|three|four|five|six|[2-6])\s+times)\s+(?:a|per|each)\s+week\b", re.I
)
_ANY_DAY = re.compile(rf"\b(?:{_DAY_RE}|weekdays?|weekends?|daily|every day)s?\b", re.I)


def _rate_example(rate: re.Match[str]) -> str:
    """Days that fit "twice a week" (or 3, 4, 5, 6 times) as an example."""
    count = {"twice": 2, "thrice": 3}.get(rate.group(1).lower())
    if count is None:
        said = rate.group(1).split()[0].lower()
        count = int(said) if said.isdigit() else NUMBER_WORDS.get(said) or 2
    days = (
        "Monday and Thursday",
        "Monday, Wednesday and Friday",
        "Monday to Thursday",
        "weekday",
        "day but Sunday",
    )
    return f"“every {days[min(count, 6) - 2]} at 9am”"


def _days_now(auto: Automation) -> list[str]:
    """The weekdays a repeating automation runs on, when it names them."""
    if auto.cron_expression:
        field = auto.cron_expression.split()[4]
        days: list[int] = []
        for part in field.split(","):
            low, _, high = part.partition("-")
            if not low.isdigit() or (high and not high.isdigit()):
                return []
            days.extend(range(int(low), int(high or low) + 1))
        return [_DAYS[d % 7] for d in days]
    if auto.rrule:
        byday = rrule_parts(auto.rrule).get("BYDAY", "")
        return [_BYDAY[d] for d in byday.split(",") if d in _BYDAY]
    return []


def _in_repeating_terms(auto: Automation, request: str) -> str:
    """A change to a repeating automation in its own terms: "move it to Thursday" moves its
    weekday, "every other week" keeps its days."""
    if not (auto.cron_expression or auto.rrule) or _A_DATE.search(request):
        return request
    request = _ONE_DAY.sub(lambda m: m.group(1) + "s", request)
    if (weeks := _WEEKS.search(request)) and not _ANY_DAY.search(request):
        days = _days_now(auto)
        if not days:
            raise InvalidInput("On which days of the week? Say e.g. “every other Monday”.")
        step = re.sub(
            r"bi-?weekly|fortnightly|every\s+(?:other|second)\s+week",
            "every 2 weeks",
            weeks.group(0),
            flags=re.I,
        )
        request = (
            f"{request[: weeks.start()]}{step} on {' and '.join(days)}{request[weeks.end() :]}"
        )
    return request


def _bare_hours_as_times(text: Text) -> None:
    text.low = _HOUR_AFTER.sub(lambda m: "at".rjust(len(m.group(1))), text.low)


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
) -> dict[str, Any]:
    """The update_automation changes a sentence asks for; InvalidInput if none is clear.
    `people`: the organisation's users, whom names it sends to are looked up among; `specs`:
    the caller's skills (SkillRegistry.specs()), whose roles a recipient by role must be;
    `job_titles`: the ATS's jobs, which "only for the engineering jobs" is read against."""
    changes: dict[str, Any] = {}
    if whole := _one_thing(auto, request, specs or {}, job_titles, now):
        return whole
    # what it does, said first: "make it 6 business days" is not a time and days
    said = request
    chosen, request = param_changes(auto, request, specs or {})
    understood = request != said  # words about what it does, even if they change nothing
    relative = read_relative(request.strip())
    text = Text(_in_repeating_terms(auto, relative.rest))
    output = read_output(text, people)
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
    if (rate := _WEEK_RATE.search(request)) and not _ANY_DAY.search(request):
        raise InvalidInput(
            f"{rate.group(0).capitalize()} on which days? Say e.g. {_rate_example(rate)}."
        )
    _bare_hours_as_times(text)
    times = read_times(text)
    facts = read_calendar(text, now.astimezone(ZoneInfo(auto.timezone)).date())
    if times.question or facts.question:
        raise InvalidInput(times.question or facts.question)
    if facts.recurring or facts.once:
        current = _current_time(auto)
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
        changes.update(_retime(auto, sorted({h for h, _ in times.times}), minutes.pop()))
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
        hints = edit_hints(auto, specs or {}, _current_time(auto), _days_now(auto))
        raise InvalidInput(f"I couldn't tell what to change. Try {hints}.")
    changes.pop("trigger_type", None)
    _keep_until_midnight(auto, changes)
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


def until_in_words(request: str, tz: str, now: datetime) -> datetime:
    """ "until Monday" -> the start of Monday in `tz`; "until March 3rd at 9am" -> that time."""
    words = re.sub(r"^\s*(?:until|till|til|through|for)\s+", "", request.strip(), flags=re.I)
    if (end := span_end(words, tz, now)) is not None:
        return end
    text = Text(words)
    times = read_times(text)
    facts = read_calendar(text, now.astimezone(ZoneInfo(tz)).date())
    if times.question or facts.question:
        raise InvalidInput(times.question or facts.question)
    if facts.days and not facts.single_day and len(facts.days) == 1:
        facts.single_day, facts.days = facts.days[0], []
    if not facts.once:
        raise InvalidInput(
            "Until when? Give a day or a date, e.g. “until Monday” or “until March 3rd”."
        )
    hour, minute = times.times[0] if times.times else (0, 0)
    at, question = once_at(facts, hour, minute, True, ZoneInfo(tz), now)
    if at is None:
        raise InvalidInput(question or "That date is in the past.")
    return at
