"""Understanding a reminder ("remind me every weekday at 4pm to update my candidates"): the
`reminder` skill with the requester's words as its message, on the schedule said (repeating or
once), sent to whoever the head names ("me", "the team"). The reminder's text is never read for
outputs, events or conditions: "remind me to email the candidates" reminds of emailing them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant.language.calendar_rules import When, local_at
from assistant.language.clock_words import Text, read_zone
from assistant.language.draft import Draft
from assistant.language.leftovers import unread_time_words
from assistant.language.notes import dst_notes
from assistant.language.object_words import object_schedule_words, without_spans
from assistant.language.reminder_words import (
    MESSAGE_LIMIT,
    ReminderWords,
    inner_time_at,
    keep_as_written,
    message_of,
)
from assistant.language.schedule_words import read_when
from assistant.language.teammate_words import Teammate
from assistant.language.what_words import read_output
from models.errors import ScheduleError
from worker.schedule.parse import Schedule, parse_schedule

ASK_WHAT = (
    "What should I remind you of? Say it after “to”, for example “remind me every Friday at "
    "4pm to submit scorecards”."
)
ASK_WHEN = (
    "When should I remind you: for example “every Friday at 4pm”, “tomorrow at 3pm” or "
    "“in 2 hours”?"
)


def understand_reminder(
    draft: Draft,
    text: Text,
    found: ReminderWords,
    *,
    now: datetime,
    default_channel: str,
    cron: re.Match[str] | None,
    plan_check: Callable[[Schedule | None, int | None], str | None] | None,
    people: Sequence[Teammate] = (),
) -> Draft:
    """Finish `draft` as a reminder, or as the one question to ask about it."""
    # the head and what is around the reminder's text say who gets it and where
    text.low = keep_as_written(found, text.low)
    outside = Text(text.raw)
    outside.low = text.low
    region = found.region
    message, trailing, question = message_of(found, text)
    if region is not None:
        # nothing from the reminder's text on, but a channel named at the end: what follows
        # the text is its schedule, which names no one
        end = len(text.raw)
        keep = trailing or (end, end)
        outside.low = _blank(_blank(outside.low, region[0], keep[0]), keep[1], end)
    output = read_output(outside, people)
    text.low = _merge(text.low, outside.low, region, trailing)
    text.low = _blank(text.low, *found.head)
    if found.quoted and region is not None:
        text.low = _blank(text.low, *region)
    zone, zone_question = read_zone(text)
    draft.tz = zone or draft.tz
    try:
        ZoneInfo(draft.tz)
    except (ZoneInfoNotFoundError, ValueError):
        return _ask(
            draft,
            f"I don't know the time zone '{draft.tz}'. Which one do you mean, "
            "e.g. Europe/London or America/New_York?",
        )
    unscheduled = text.low  # before the schedule's words are read out of it
    when = read_when(text, draft.tz, now)
    if cron is None and not found.quoted:
        when = _kept_in_text(found, text, unscheduled, when, draft.tz, now)
    if cron is not None:
        when = When(unread=when.unread)
        try:
            when.schedule = parse_schedule(cron=cron.group(1), tz=draft.tz)
        except ScheduleError as exc:
            return _ask(draft, f"{exc}. Could you check the cron expression?")
    if when.time_alone is not None and not (when.unread or zone_question):
        _next_at(when, draft.tz, now)
    if found.quoted:
        message = found.message
    else:
        message, _, question = message_of(found, text)
    unread = when.unread
    # the words no rule read, when.unread being the question about them (not another question
    # a rule asked of words it did read: "twice a week" asks which days)
    phrase = unread_time_words(text) if unread else None
    if (
        unread
        and phrase
        and f"'{phrase}'" in unread
        and region is not None
        and phrase in text.raw[region[0] : region[1]]
    ):
        unread = (
            f"I didn't understand '{phrase}' as part of the schedule. If it is part of what "
            "to remind you of, say “text” (or put the reminder's text in quotes: remind me "
            "to “…” every Friday at 3pm)."
        )
    question = zone_question or when.question or unread or question or output.question
    if question is None and not message:
        question = ASK_WHAT
    if question is None and len(message) > MESSAGE_LIMIT:
        question = (
            f"A reminder's text can be at most {MESSAGE_LIMIT} characters; this one has "
            f"{len(message):,}. Could you say it in fewer words?"
        )
    if question is None and when.schedule is None:
        question = ASK_WHEN
    if question is None and "team" in output.to and output.channel == "webhook":
        question = (
            "A webhook posts to one URL, not to people: to remind your team, say “remind the "
            "team” or name a Slack channel."
        )
    if question:
        return _ask(draft, question)
    assert when.schedule is not None
    draft.skill, draft.params = "reminder", {"message": message}
    draft.channel = output.channel or default_channel
    draft.to = output.to or ["me"]
    draft.names = output.names
    if not output.mentioned:
        draft.defaults.append(
            f"it goes by {draft.channel.replace('_', '-')} to you, as you did not say where"
        )
    draft.trigger_type, draft.schedule = "cron", when.schedule
    draft.defaults.extend(when.defaults)
    draft.status = "ok"
    draft.next_runs = draft.fires(now, 3)
    if not draft.next_runs:
        return _ask(draft, "That time is already past; when should I remind you?")
    draft.notes.extend(dst_notes(draft, now))
    if plan_check is not None:
        note = plan_check(draft.schedule, None)
        if note:
            draft.notes.append(note)
            draft.plan_refuses = True
    draft.write_summary()
    return draft


def _kept_in_text(
    found: ReminderWords, text: Text, unscheduled: str, when: When, tz: str, now: datetime
) -> When:
    """Schedule words inside the reminder's text that the schedule does not need are the
    text's ("every friday at 4pm remind me to send the weekly update"); `text` then keeps
    them and the schedule is read without them."""
    if (inner := inner_time_at(found, text)) is not None:
        alone = Text(text.raw)
        alone.low = _blank(unscheduled, *inner)
        other = read_when(alone, tz, now)
        if _same(other, when) or (_whole(other) and _names_a_thing(inner, unscheduled, text)):
            alone.low = (
                alone.low[: inner[0]] + unscheduled[inner[0] : inner[1]] + alone.low[inner[1] :]
            )
            text.low, when = alone.low, other
    if when.unread and found.region is not None:
        when = _object_words_kept(text, unscheduled, found.region, when, tz, now)
    return when


def _whole(when: When) -> bool:
    return when.schedule is not None and not (when.question or when.unread)


def _names_a_thing(inner: tuple[int, int], unscheduled: str, text: Text) -> bool:
    """Whether the words at `inner` are a schedule word naming a thing ("the monthly
    report"), which the schedule said without it does not need."""
    probe = Text(text.raw)
    probe.low = unscheduled
    return any(s[0] <= inner[0] < s[1] for s in object_schedule_words(probe))


def _object_words_kept(
    text: Text, unscheduled: str, region: tuple[int, int], when: When, tz: str, now: datetime
) -> When:
    """ "every day at 8am remind me to check the daily numbers": a schedule word that names
    a thing in the reminder's text ("the daily numbers") is the text's when the schedule is
    whole without it; `text` then keeps it. Else `when` as read."""
    probe = Text(text.raw)
    probe.low = unscheduled
    spans = [s for s in object_schedule_words(probe) if s[0] >= region[0]]
    if not spans:
        return when
    alone = without_spans(probe, spans)
    other = read_when(alone, tz, now)
    if not _whole(other):
        return when
    for start, end in spans:  # the words stay unread, so the text keeps them
        alone.low = alone.low[:start] + unscheduled[start:end] + alone.low[end:]
    text.low = alone.low
    return other


def _same(other: When, when: When) -> bool:
    """Whether `other` reads the same whole schedule as `when`, with nothing left to ask."""
    return (
        other.schedule is not None
        and other.schedule == when.schedule
        and not (other.question or other.unread or when.unread)
        and other.time_alone == when.time_alone
    )


def _next_at(when: When, tz: str, now: datetime) -> None:
    """A reminder at a time alone ("remind me at 3pm to call Priya") is once, at the next such
    time where the requester is: today while it is still ahead, else tomorrow; said so."""
    assert when.time_alone is not None
    hour, minute = when.time_alone
    today = now.astimezone(ZoneInfo(tz)).date()
    at, day = local_at(ZoneInfo(tz), today, hour, minute), "today"
    if at <= now:
        at, day = local_at(ZoneInfo(tz), today + timedelta(days=1), hour, minute), "tomorrow"
    when.schedule = parse_schedule(once=at, tz=tz)
    when.question = None
    when.defaults.append(
        f"it goes once, {day} at {hour:02d}:{minute:02d} (the next {hour:02d}:{minute:02d} in "
        f"{tz}), as you named no day; say “every day” or name a day to make it repeat"
    )


def _merge(
    low: str, outside: str, region: tuple[int, int] | None, trailing: tuple[int, int] | None
) -> str:
    """`low` having lost what the output reading read before the reminder's text and in the
    channel named at its end (the output reading saw nothing else)."""
    if region is None:
        return outside
    chars = list(low)
    for index, char in enumerate(outside):
        inside = index >= region[0]
        if trailing is not None and trailing[0] <= index < trailing[1]:
            inside = False
        if not inside:
            chars[index] = char
    return "".join(chars)


def _blank(low: str, start: int, end: int) -> str:
    return low[:start] + " " * (end - start) + low[end:]


def _ask(draft: Draft, question: str) -> Draft:
    draft.status, draft.question = "question", question
    draft.schedule, draft.next_runs = None, []
    draft.write_summary()
    return draft
