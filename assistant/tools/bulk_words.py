"""What a bulk pause or resume says: how many automations, named (the first ten), and in words
when there are none to act on."""

from __future__ import annotations

from collections.abc import Sequence

from models.tables.automations import Automation

SHOWN = 10


def counted(count: int) -> str:
    return f"{count} automation" + ("" if count == 1 else "s")


def named(chosen: Sequence[Automation]) -> str:
    names = ", ".join(f"#{a.id} {a.name}" for a in chosen[:SHOWN])
    more = len(chosen) - SHOWN
    return names + (f" and {more} more" if more > 0 else "")


def bulk_message(
    verb: str, chosen: Sequence[Automation], *, whose: str | None, done: bool, since: str | None
) -> str:
    """`verb` pause | resume; `whose`: "you", a colleague's name, or None for everyone's;
    `since`: the resume's "paused today" window in words ("today", "since monday")."""
    if not chosen:
        holder = {None: "There are", "you": "You have"}.get(whose, f"{whose} has")
        if verb == "pause":
            which = "active automations"
        else:
            which = f"automations paused {since}" if since else "paused automations"
        return f"{holder} no {which} to {verb}."
    if done:
        return f"{verb.title()}d {counted(len(chosen))}: {named(chosen)}."
    return f"This would {verb} {counted(len(chosen))}: {named(chosen)}."
