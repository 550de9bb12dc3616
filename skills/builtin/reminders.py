"""The reminder skill's Python half: the requester's own words, sent as they were said.

The words may name candidates, so what the run history keeps (the summary) says only that a
reminder went out and how long it was; the text lives in the delivered message alone."""

from __future__ import annotations

from skills.base import Gathered, SkillContext

#: the longest subject: "Reminder: " and the message's first words, cut at a word
SUBJECT_CHARS = 70
_PREFIX = "Reminder: "


def reminder_subject(message: str) -> str:
    """ "Reminder: call Priya", the message's first line cut at a word boundary with an
    ellipsis when it does not fit in SUBJECT_CHARS."""
    first = " ".join(message.strip().splitlines()[0].split()) if message.strip() else ""
    room = SUBJECT_CHARS - len(_PREFIX)
    if len(first) <= room and first == " ".join(message.split()):
        return _PREFIX + first
    if len(first) <= room:
        return _PREFIX + first + "…"
    cut = first[: room - 1]
    space = cut.rfind(" ")
    if space >= room // 2:  # a word boundary not too far back: cut there
        cut = cut[:space]
    return _PREFIX + cut.rstrip(" ,;:.-") + "…"


def reminder(ctx: SkillContext) -> Gathered:
    message = ctx.params["message"]
    return Gathered(
        subject=reminder_subject(message),
        context={"title": "Reminder", "subtitle": "", "message": message},
        summary={"reminder": "sent", "message_chars": len(message)},
    )
