"""Counting runs over a period: "how many runs failed last week?", "how many times did #1 run
this month?", "did anything fail in the last 30 days?", "did #1 run yesterday?". Across the
speaker's automations (an admin's: the organisation's) or one automation; the period words are
the language part's own (data_words.PERIOD), read as a span of the speaker's calendar."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assistant.conversation import words
from assistant.conversation.reply import Reply
from assistant.conversation.windows import WEEKDAY, WINDOW, window
from assistant.language.clock_words import Text
from assistant.language.data_words import PERIOD, window_of
from models.errors import InvalidInput
from models.store.automations import list_automations
from models.store.run_tallies import tally_runs

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

CALENDAR = "calendar:"  # a period read by windows.window rather than span
RAN = ("completed", "partial", "failed")  # runs that ran; skipped and queued ones did not
FAILED = ("failed", "partial")
_FAIL = r"(?:fail|failed|error|errored|break|broke|go wrong|went wrong)"
_RUN = r"(?:run|ran|fire|fired|go out|went out|send|sent)"
_WHEN = rf"(?:\s+(?:in|during|over|within|for|from|since)?\s*(?P<period>{PERIOD}))?"
_ASKED = [
    re.compile(pattern + _WHEN, re.I)
    for pattern in (
        # "how many runs failed", "how many of my runs have failed", "how many failed runs"
        rf"how many (?:of )?(?:my |our |the )?(?:(?P<fail1>failed|failing) )?(?:runs|times)"
        rf"(?: (?:have |has |had )?(?P<fail2>{_FAIL}|failed)| (?:did|do|have|has) (?:i|we) "
        rf"(?:had|have|get|got)| (?:were|have been|are) there| (?:ran|have run))?",
        # "how many times did #1 run", "how many times has the digest failed"
        rf"how many (?:times|runs) (?:did|has|have|does) (?P<ref1>.+?) (?:(?P<fail3>{_FAIL})|"
        rf"{_RUN}|had|have)",
        # "how many runs did #1 have", "how many failed runs did #1 have"
        r"how many (?:(?P<fail4>failed) )?runs (?:did|has|does) (?P<ref2>.+?) (?:had|have|got)",
        # "did anything fail", "has anything run", "did #1 fail", "has the digest run"
        rf"(?:did|has|have) (?P<ref3>any ?thing|any of (?:my|our|the) \w+|.+?) "
        rf"(?:(?P<fail5>{_FAIL})|{_RUN})",
    )
]
# "did it run last Monday?", "did #1 fail on Tuesday?": one day of the week, yes or no
_ON_DAY = re.compile(
    rf"did (?P<ref>any ?thing|any of (?:my|our|the) \w+|.+?) (?:(?P<fail>{_FAIL})|{_RUN})"
    rf"(?: on)? (?P<day>(?:last |this past |on )?{WEEKDAY})s?"
)


def tally_question(text: str) -> tuple[str, str] | None:
    """(the automation's words, "" for all; the rest as tally_said reads it: "failed" or "ran",
    "yes/no" for a did-question, and the period's words, "|" between) of a question
    counting runs."""
    low = re.sub(r"\s+", " ", text.strip().lower().replace("\u2019", "'")).rstrip(" ?.!")
    if m := _ON_DAY.fullmatch(low):
        ref = m.group("ref")
        if re.fullmatch(r"any ?thing|any of (?:my|our|the) \w+|we|i|you", ref):
            ref = ""
        day = re.sub(
            r"^(?:this past|on) ", "last " if "past" in m.group("day") else "", m.group("day")
        )
        return ref, f"{'failed' if m.group('fail') else 'ran'}|yes/no|{CALENDAR}{day}"
    for asked, pattern in enumerate(_ASKED):
        if m := pattern.fullmatch(low):
            named = m.groupdict()
            ref = next((named[k] for k in ("ref1", "ref2", "ref3") if named.get(k)), "") or ""
            if re.fullmatch(r"any ?thing|any of (?:my|our|the) \w+|we|i|you", ref):
                ref = ""
            failed = any(named.get(f"fail{n}") for n in range(1, 6))
            what = "failed" if failed else "ran"
            did = "yes/no" if asked == len(_ASKED) - 1 else ""
            return ref, f"{what}|{did}|{named.get('period') or ''}"
    return None


# "how did last week's runs go?", "how are my automations doing this week?"
_WENT = re.compile(
    rf"how (?:did|have|has|are|were|is|was) (?:(?P<w1>{WINDOW})'s |(?:my |our |the |all (?:my )?)?)"
    r"(?:runs?|automations?|things|everything|it all|all my automations)(?: been)? "
    rf"(?:go|going|gone|do|doing|done|went|work|working|worked)(?: (?P<w2>{WINDOW}))?"
)


def went_question(low: str) -> str | None:
    """The rest tally_said reads for a question how runs went over a window (`low`: plain
    words), or None."""
    if m := _WENT.fullmatch(low):
        period = m.group("w1") or m.group("w2")
        return f"ran||{CALENDAR}{period}" if period else "ran||"
    return None


def tally_said(tools: Toolset, actor: Actor, automation_id: int | None, rest: str) -> Reply:
    """The answer to a question tally_question read (`rest` is its second part)."""
    what, did, period = rest.split("|", 2)
    reply = tally(tools, actor, automation_id, what == "failed", period)
    if did and isinstance(reply.data, dict):
        counted = reply.data["failed" if what == "failed" else "ran"]
        reply.text = f"{'Yes' if counted else 'No'}: {reply.text[0].lower()}{reply.text[1:]}"
    return reply


def span(period: str, now: datetime, zone: ZoneInfo) -> tuple[datetime | None, str] | None:
    """[start, now) of `period` and how the answer says it; None for a period still ahead."""
    if not period:
        return None, "so far"
    phrase = re.fullmatch(r"(?P<w>.+)", period.lower())
    assert phrase is not None
    window = window_of(Text(period), phrase)
    local = now.astimezone(zone)
    midnight = datetime.combine(local.date(), time(0), zone)
    if window.ahead or window.day == 1:
        return None
    if window.day == -1:
        return midnight - timedelta(days=1), "yesterday"
    if window.day == 0:
        return midnight, "today"
    if period.startswith("this week"):
        return midnight - timedelta(days=local.weekday()), "this week (since Monday)"
    if period.startswith("this month"):
        return midnight.replace(day=1), f"this month (since 1 {local:%B})"
    hours = window.hours or 24
    days = hours // 24
    said = (
        f"in the last {days} days" if hours % 24 == 0 and days > 1 else f"in the last {hours} hours"
    )
    return now - timedelta(hours=hours), said


def tally(
    tools: Toolset, actor: Actor, automation_id: int | None, failed: bool, period: str
) -> Reply:
    """The count, said in words; `automation_id` None: across the speaker's automations."""
    tz = tools.zone_of(actor)
    now = tools.clock()
    end = now
    start: datetime | None
    # whole days, weeks and months that have ended, as every listing reads them: "yesterday" is
    # not "since yesterday", "last week" is Monday to Sunday, not the last 7 days
    if period.lower().strip() in ("yesterday", "last week", "last month"):
        period = f"{CALENDAR}{period.lower().strip()}"
    if period.startswith(CALENDAR):  # a window of the speaker's calendar ("last week's runs")
        calendar = window(period.removeprefix(CALENDAR), now, ZoneInfo(tz))
        if calendar is None:
            raise InvalidInput(f"I can't read “{period.removeprefix(CALENDAR)}” as a time.")
        start, end, said = calendar.start, calendar.end, calendar.said
    elif (spoken := span(period, now, ZoneInfo(tz))) is None:
        return Reply(
            f"“{period}” is still to come: “what runs {period}?” shows what is scheduled.", "info"
        )
    else:
        start, said = spoken
    title = ""
    if automation_id is not None:
        title = words.title(tools.get_automation(actor, automation_id))  # refuses another's
        ids: list[int] | None = [automation_id]
    elif actor.is_admin:
        ids = None
    else:
        ids = [
            a.id or 0 for a in list_automations(tools.engine, actor.org_id, owner_id=actor.user_id)
        ]
    counts = tally_runs(tools.engine, actor.org_id, automation_ids=ids, start=start, end=end)
    ran = sum(counts.get(s, 0) for s in RAN)
    broke = sum(counts.get(s, 0) for s in FAILED)
    skipped = counts.get("skipped", 0)
    whose = title or ("the organisation's automations" if ids is None else "your automations")
    if failed:
        text = (
            f"{_times(broke, 'run')} of {whose} failed {said}"
            if not title
            else (f"{title} failed {_times(broke, 'time')} {said}")
        )
        text += f" (of {_times(ran, 'run')})." if ran else "."
    else:
        text = (
            f"{title} ran {_times(ran, 'time')} {said}"
            if title
            else (f"{whose[0].upper()}{whose[1:]} ran {_times(ran, 'time')} {said}")
        )
        parts = [f"{counts[s]} {s}" for s in RAN if counts.get(s)]
        text += f": {', '.join(parts)}." if parts else "."
    text = text[0].upper() + text[1:]
    if skipped:
        text += f" {_times(skipped, 'more run')} {'was' if skipped == 1 else 'were'} skipped."
    return Reply(
        text,
        "info",
        data={
            "ran": ran,
            "failed": broke,
            "skipped": skipped,
            "since": start and start.isoformat(),
        },
        automation_id=automation_id,
    )


def _times(count: int, noun: str) -> str:
    """ "no runs", "1 time", "3 times"."""
    if count == 0:
        return f"no {noun}s" if noun != "time" else "0 times"
    return f"{count} {noun}" + ("" if count == 1 else "s")
