"""What a request says besides its output and its skill: its events, its condition on contact,
its time zone and its schedule, read in a fixed order from the working text (which loses what
each rule read). Durations that say what is listed are kept out of the schedule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant.language.calendar_rules import When
from assistant.language.clock_words import Text, read_zone
from assistant.language.draft import Draft
from assistant.language.event_words import (
    EventFacts,
    calendar_length,
    condition_spans,
    read_condition,
    read_events,
)
from assistant.language.object_durations import (
    ObjectDuration,
    blank_object_durations,
    blank_relative_clauses,
    unread_durations,
)
from assistant.language.object_words import object_schedule_words, without_spans
from assistant.language.schedule_words import read_when
from assistant.language.stage_age_words import read_stage_age, says_aged_event
from assistant.language.stage_filter_words import StageFilter, read_stage_filter
from assistant.language.stage_words import StageCondition, read_stage_condition
from assistant.language.what_to_do import WHAT_THEN
from models.errors import ScheduleError
from worker.schedule.parse import parse_schedule


@dataclass
class Reading:
    """What the request says besides its output: events, condition, zone and schedule."""

    events: EventFacts
    condition: tuple[int | None, int | None, str | None]
    tz: str
    zone_question: str | None
    when: When
    question: str | None = None  # asked before anything else (zone or cron unreadable)
    stage: StageCondition | None = None  # "stuck in screening for a week"
    calendar_length: str | None = None  # a condition's length said in calendar units ("a week")
    # durations that say what is listed ("open for more than 30 days"), kept out of the schedule
    objects: list[ObjectDuration] = field(default_factory=list)
    # the stage an event said with an age put the listed candidates in ("who applied … ago")
    aged_in: str | None = None
    listed: StageFilter | None = None  # a stage said with no wait: "the ones in Screen"

    @property
    def repeats(self) -> bool:
        schedule = self.when.schedule
        return (
            self.question is None
            and self.when.question is None
            and schedule is not None
            and schedule.once_at is None
        )

    @property
    def whole(self) -> bool:
        """A schedule with nothing left to ask about it."""
        when = self.when
        return (
            self.question is None
            and when.schedule is not None
            and not (when.question or when.unread or self.zone_question)
            and when.time_alone is None
        )

    @property
    def timeless(self) -> bool:
        """Nothing about when: no schedule, no event, no time word left unread."""
        when = self.when
        return not (
            self.question
            or self.events.event_type
            or self.events.question
            or when.schedule
            or when.question
            or when.unread
            or when.interval_minutes
        )


def read_schedule(text: Text, tz: str, now: datetime, cron: re.Match[str] | None) -> Reading:
    """`read_rest`, the schedule words naming what is sent ("the daily numbers") left out of
    the schedule when what remains is a whole schedule by itself."""
    if spans := object_schedule_words(text):
        trial = read_rest(without_spans(text, spans), tz, now, cron)
        if trial.whole:
            return trial
    return read_rest(text, tz, now, cron)


def read_rest(text: Text, tz: str, now: datetime, cron: re.Match[str] | None) -> Reading:
    """Read the working text (it loses what was read) after its output was."""
    stage, stage_question = read_stage_condition(text)
    aged_in = None
    if stage is None and stage_question is None:
        # "who applied over 30 days ago and are still in Applied": a wait in that stage
        stage, aged_in = read_stage_age(text)
    listed = None
    if stage is None and stage_question is None and not says_aged_event(text):
        listed = read_stage_filter(text)  # "the ones in Screen": a stage with no wait
    # "candidates who applied more than 2 weeks ago": the clause says which, not an event
    clauses = blank_relative_clauses(text, condition_spans(text.low))
    events = read_events(text)
    length = calendar_length(text.low)
    condition = read_condition(text)
    if stage is not None:
        length = stage.calendar_said
    if stage is not None or stage_question is not None:
        condition = (
            (stage.days, stage.business_days, None) if stage else (None, None, stage_question)
        )
    zone, zone_question = read_zone(text)
    reading = Reading(
        events, condition, zone or tz, zone_question, When(), stage=stage, calendar_length=length
    )
    reading.aged_in, reading.listed = aged_in, listed
    try:
        ZoneInfo(reading.tz)
    except (ZoneInfoNotFoundError, ValueError):
        reading.question = (
            f"I don't know the time zone '{reading.tz}'. Which one do you mean, "
            "e.g. Europe/London or America/New_York?"
        )
        return reading
    reading.objects = clauses + blank_object_durations(text)
    reading.when = read_when(text, reading.tz, now)
    if cron:
        reading.when = When(unread=reading.when.unread)
        try:
            reading.when.schedule = parse_schedule(cron=cron.group(1), tz=reading.tz)
        except ScheduleError as exc:
            reading.question = f"{exc}. Could you check the cron expression?"
    return reading


def object_notes(draft: Draft, reading: Reading) -> None:
    """What the read-back says of the durations in what is listed: a length in calendar units
    that the SLA counts in business days, and any duration no param carries."""
    if reading.calendar_length and "business_days" in draft.params:
        draft.defaults.append(
            f"“{reading.calendar_length}” is {draft.params['business_days']} business days "
            "(the list counts business days: weekends and holidays are skipped)"
        )
    draft.notes.extend(
        f"“{said}” says what it lists, not when it runs; {draft.skill} has no setting for "
        "it, so it lists what it always does."
        for said in unread_durations(reading.objects, draft.params)
    )


def unlisted_question(question: str, reading: Reading) -> str:
    """The question of what to do, when what it lists was said with a length no report
    filters on, says so first."""
    if not (question.startswith(WHAT_THEN) and reading.objects):
        return question
    said = reading.objects[0].said
    known = f"I know no report that lists those (“{said}” says which ones, not when it runs)."
    if reading.aged_in:
        # a list counts the wait in the stage a candidate is in: say how to ask for it
        stage = reading.aged_in
        return (
            f"{known} I can list the ones still waiting in {stage} (say “… and are still in "
            f"{stage}”); else, {question[0].lower()}{question[1:]}"
        )
    return f"{known} {question}"
