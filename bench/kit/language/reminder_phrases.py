"""A generator of reminder requests: a schedule (the phrase grammar's repeating ones, or a one-off
"tomorrow at 3pm", "in 2 hours", "on Friday at 10am", "on March 3 at 4pm") by an ordering of the
reminder's words ("remind me <when> to <what>", "remind me to <what> <when>", "<when>, remind me
to <what>", "set a reminder ...", "ping me ...",  "remind the team ...") by a reminder's text.

Texts holding words that look like a schedule ("book the 9am room") are written in double
quotes, which keep them whole. Each request carries what it must be read as: the text, who gets
it on which channel, and its next fire times, computed from its structure alone (truth.py for
the repeating ones; the calendar here for the one-offs)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.language import understand
from bench.kit.language.phrases import ZONES, draw_schedule
from bench.kit.language.surface_forms import DAY_NAMES, MONTH_NAMES
from bench.kit.language.truth import truth

#: texts with no word a schedule reader would take
PLAIN_TEXTS = (
    "update my candidates",
    "send the offer letters",
    "call Priya",
    "chase Priya about the contract",
    "book a room for the debrief",
    "submit scorecards",
    "check the careers page",
    "email the candidates",
    "thank the panel",
    "order lunch for the onsite",
    "ask Sam for the budget sign-off",
    "clean up the job board",
)
#: texts that hold schedule-looking words: only quotes keep them the text's
QUOTED_TEXTS = (
    "book the 9am room",
    "review the weekly numbers",
    "prep the Monday standup",
    "call Priya at 5",
    "send the follow-ups from today",
)
# ordering -> (words, recipients, channel); {when} and {what} are filled in
ORDERINGS = (
    ("remind me {when} to {what}", ["me"], "email"),
    ("remind me to {what} {when}", ["me"], "email"),
    ("{When}, remind me to {what}", ["me"], "email"),
    ("set a reminder {when} to {what}", ["me"], "email"),
    ("set a reminder to {what} {when}", ["me"], "email"),
    ("please remind me {when} about {what}", ["me"], "email"),
    ("ping me {when} to {what}", ["me"], "slack"),
    ("remind the team {when} to {what}", ["team"], "email"),
    ("remind everyone to {what} {when}", ["team"], "email"),
)


@dataclass(frozen=True)
class ReminderRequest:
    text: str
    tz: str
    now: datetime
    message: str
    to: tuple[str, ...]
    channel: str
    fires: tuple[datetime, ...]  # the next fire times (up to 5), in UTC
    once: bool


def _clock(rng: random.Random, hour: int, minute: int) -> str:
    h12 = hour % 12 or 12
    ampm = "am" if hour < 12 else "pm"
    forms = [f"{h12}:{minute:02d}{ampm}", f"{h12}:{minute:02d} {ampm}", f"{hour:02d}:{minute:02d}"]
    if minute == 0:
        forms += [f"{h12}{ampm}", f"{h12} {ampm}"]
    return rng.choice(forms)


def _local(zone: ZoneInfo, day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def _one_off(rng: random.Random, zone: ZoneInfo, now: datetime) -> tuple[str, datetime] | None:
    """A one-off time in words and the instant it names, or None when it would be past."""
    today = now.astimezone(zone).date()
    # whole hours of the working day: never in a daylight-saving change's skipped hour
    hour, minute = rng.randrange(8, 20), rng.choice([0, 0, 15, 30, 45])
    kind = rng.choice(["tomorrow", "in", "weekday", "date"])
    if kind == "in":
        amount = rng.randrange(1, 10)
        unit = rng.choice(["hours", "minutes"])
        if amount == 1:
            return f"in 1 {unit[:-1]}", now + timedelta(**{unit: 1})
        return f"in {amount} {unit}", now + timedelta(**{unit: amount})
    clock = _clock(rng, hour, minute)
    if kind == "tomorrow":
        return f"tomorrow at {clock}", _local(zone, today + timedelta(days=1), hour, minute)
    if kind == "weekday":
        ahead = rng.randrange(1, 7)  # never today's own weekday: "on Friday" said on a Friday
        day = today + timedelta(days=ahead)
        return f"on {DAY_NAMES[day.weekday()]} at {clock}", _local(zone, day, hour, minute)
    day = today + timedelta(days=rng.randrange(2, 200))
    if (day.month, day.day) == (2, 29):
        return None
    words = f"on {MONTH_NAMES[day.month - 1]} {day.day} at {clock}"
    return words, _local(zone, day, hour, minute)


def draw_reminder(rng: random.Random) -> ReminderRequest | None:
    """One reminder request, or None when its schedule would never fire."""
    tz = rng.choice(ZONES)
    zone = ZoneInfo(tz)
    now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 2 * 365 * 1440))
    if rng.random() < 0.35:
        said = _one_off(rng, zone, now)
        if said is None:
            return None
        when, instant = said
        fires: tuple[datetime, ...] = (instant,)
        once = True
    else:
        spec, when = draw_schedule(rng, zone, now)
        fires = tuple(truth(spec, tz, now, 5))
        once = False
        if not fires:
            return None
    if rng.random() < 0.75:
        message = rng.choice(PLAIN_TEXTS)
        what = message
    else:
        message = rng.choice(QUOTED_TEXTS)
        what = rng.choice([f'"{message}"', f"“{message}”"])
    words, to, channel = rng.choice(ORDERINGS)
    text = words.format(when=when, When=when[0].upper() + when[1:], what=what)
    if rng.random() < 0.3:
        text = text[0].upper() + text[1:]
    return ReminderRequest(text, tz, now, message, tuple(to), channel, fires, once)


def reminder_corpus(seed: int, size: int) -> list[ReminderRequest]:
    rng = random.Random(seed)
    out: list[ReminderRequest] = []
    while len(out) < size:
        request = draw_reminder(rng)
        if request is not None:
            out.append(request)
    return out


def judge_reminder(request: ReminderRequest) -> tuple[str, str]:
    """right (the reminder with its text, recipients, channel and fire times), question, or
    wrong (a confident reading that differs), with what differed."""
    draft = understand(request.text, tz=request.tz, now=request.now)
    if not draft.ok:
        return "question", f"{request.text!r}: {draft.question}"
    got = (
        draft.skill,
        draft.params.get("message"),
        tuple(draft.to),
        draft.channel,
        tuple(draft.fires(request.now, len(request.fires))),
    )
    want = ("reminder", request.message, request.to, request.channel, request.fires)
    if got == want:
        return "right", ""
    return "wrong", (
        f"{request.text!r} in {request.tz} at {request.now:%Y-%m-%d %H:%M}Z read as "
        f"{got[:4]} {draft.trigger_words()!r}"
    )
