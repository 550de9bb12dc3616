"""What a bulk pause or resume says: how many automations, named (the first ten), and in words
when there are none to act on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from models.clock import local_time
from models.tables.automations import Automation

SHOWN = 10


def counted(count: int) -> str:
    return f"{count} automation" + ("" if count == 1 else "s")


def named(chosen: Sequence[Automation]) -> str:
    names = ", ".join(f"#{a.id} {a.name}" for a in chosen[:SHOWN])
    more = len(chosen) - SHOWN
    return names + (f" and {more} more" if more > 0 else "")


def until_words(until: datetime | None, tz: str) -> str:
    """ " until Mon 07 Dec 2026 00:00 PST" (in the requester's zone), or nothing."""
    return f" until {local_time(until, tz)}" if until else ""


def bulk_message(
    verb: str,
    chosen: Sequence[Automation],
    *,
    whose: str | None,
    done: bool,
    since: str | None,
    until: str = "",
    kind: str | None = None,
    left: str = "",
) -> str:
    """`verb` pause | resume; `whose`: "you", a colleague's name, or None for everyone's;
    `since`: the resume's "paused today" window in words ("today", "since monday"); `until`:
    a pause's end in words (until_words), so the answer says when they resume by themselves;
    `kind`: "reminders" when the request kept to one kind; `left`: the system jobs an admin's
    change to everyone's leaves as they are, in words."""
    after = f" {left}" if left else ""
    if not chosen:
        noun = kind or "automations"
        if verb == "pause":
            which = f"active {noun}"
        else:
            which = f"{noun} paused {since}" if since else f"paused {noun}"
        if whose is None:  # everyone's: the organisation's system jobs are never among them
            if left:
                return f"Nobody has {which} to {verb}.{after}"
            return f"Nobody has {which} to {verb} (system jobs are not changed in bulk)."
        holder = "You have" if whose == "you" else f"{whose} has"
        return f"{holder} no {which} to {verb}.{after}"
    if done:
        return f"{verb.title()}d {counted(len(chosen))}{until}: {named(chosen)}.{after}"
    return f"This would {verb} {counted(len(chosen))}{until}: {named(chosen)}.{after}"
