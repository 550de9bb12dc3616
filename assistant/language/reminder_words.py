"""Reminders in words: "remind me every Friday at 4pm to submit scorecards", "remind me to chase
Priya every Monday at 9", "tomorrow at 3pm remind me to call Priya", "set a reminder in 2 hours
to ...", "ping me ...", "remind the team ...".

The reminder's text is what follows "to", "that" or "about" with the schedule's words taken out.
Text in double quotes is the reminder's text as written: nothing inside it is read as a schedule
(remind me to "book the 9am room" every Friday at 3pm reminds of booking the 9am room, at 3pm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from assistant.language.clock_words import Text, read_zone
from assistant.language.event_words import read_condition, read_events
from assistant.language.recipient_words import OTHER_TEAM_WORDS, TEAM_WORDS
from assistant.language.schedule_words import read_when
from assistant.language.stage_words import read_stage_condition
from assistant.language.words import SKILL_PATTERNS

#: the longest reminder text, in characters (the skill's own limit)
MESSAGE_LIMIT = 500

_HEAD = re.compile(
    r"\b(?:remind|ping|nudge)\s+(?:me|us|" + TEAM_WORDS + "|" + OTHER_TEAM_WORDS + r")(?![\w-])"
    r"|\b(?:set|create|add|make|schedule|put\s+in)\s+(?:me\s+|up\s+)?(?:a|an|one)\s+"
    r"reminder\b(?:\s+for\s+(?:me|us)\b)?"
)
# skills whose output is itself a reminder of work due ("remind me to follow up with candidates")
_REMINDING = frozenset({"followups", "renewal-reminders", "stale-candidate-sla"})
# words of a reminder's text that ask for something to be sent ("... and send me the recap")
_SENT = re.compile(r"\b(?:send|e-?mail|post|slack|dm|forward|share)\s+(?:me|us|the\s+team)\b")
_SPACED_MARK = re.compile(r"\s+([!?.,;:])(?=\s|$)")
_ASKED = re.compile(r"\W*(?:(?:hey|hi|ok|okay|so)\W+)?(?:can|could|would|will)\s+you\b")
_DETERMINERS = frozenset({"the", "a", "an", "my", "our", "your", "their", "this", "that"})
_CONNECTOR = re.compile(r"\b(?:to|that|about)\b")
# double quotes, straight or curly: an apostrophe is too often part of a word to be one
_QUOTED = re.compile(r"\"([^\"]*)\"|“([^”]*)”")
# a channel named after the reminder's text: "... every Friday at 4 on Slack"
_TRAILING_OUTPUT = re.compile(
    r"\s*,?\s*(?:(?:on|via|by|over|through|in)\s+(?:slack|e-?mail|an?\s+e-?mail|a\s+dm|dm)"
    r"|(?:on|in)\s+#[\w.-]+)\s*[.!]?\s*$",
    re.I,
)
# a word that led into schedule words taken out of the text's middle ("call Priya on [Friday]
# about the offer")
_LEAD_IN = frozenset({"on", "at", "in", "by", "from", "every", "each"})
# words left at an edge of the text once the schedule's were taken out of its middle or end
_EDGE = r"(?:on|at|in|by|for|from|and|every|each|then|please|,|;|:|-)"
_LEADING = re.compile(r"^(?:" + _EDGE + r"\s+|[,;:-]\s*)+")
_TRAILING = re.compile(r"(?:\s+" + _EDGE + r"|\s*[,;:-])+$")
# what may stand around a reminder with no text: schedule and output words were read already
_FILLER = re.compile(
    r"\b(?:please|pls|can|could|would|will|you|hey|hi|skilltick|and|for|on|at|the|up|me|us|"
    r"set|a|an|one|reminder|via|by|in|over|slack|e-?mail|dm|my|our|whole|team|everyone)\b"
    r"|#[\w.-]+|[^\w]"
)


@dataclass
class ReminderWords:
    """Where a reminder is said in a request: its head ("remind me"), the span that holds its
    text (from the connector to the end, or the quotes) and the text itself ("" when none)."""

    head: tuple[int, int]
    region: tuple[int, int] | None
    message: str
    quoted: bool = False
    # double quotes around a part of the text ("book the “9am room”"): kept as written
    kept: tuple[int, int] | None = None


def find_reminder(text: Text, tz: str, now: datetime) -> ReminderWords | None:
    """The reminder `text` asks for, or None when it asks for something else: a request without
    a reminder's head, or one whose text names what a skill does ("remind me every Friday to
    follow up with candidates" is the follow-ups skill, "send me a reminder of overdue
    follow-ups" too). `text` is not changed."""
    head = _HEAD.search(text.low)
    if head is None:
        return None
    found = ReminderWords(head.span(), None, "")
    probe = Text(text.raw)
    probe.low = _blank(text.low, *head.span())
    quote = _QUOTED.search(text.raw, head.end())
    if quote is not None:
        probe.low = _blank(probe.low, *quote.span())
    read_zone(probe)
    read_when(probe, tz, now)
    connector = _CONNECTOR.search(probe.low, head.end())
    if quote is not None and (connector is None or connector.start() > quote.start()):
        connector = None
    if (
        quote is not None
        and connector is not None
        and probe.low[connector.end() : quote.start()].strip()
    ):
        # words before the quotes are text too: the quotes keep a part of it as written
        found.region, found.kept = (connector.start(), len(text.raw)), quote.span()
        return found
    if quote is not None:
        found.quoted = True
        found.region = ((connector or quote).start(), quote.end())
        found.message = next(g for g in quote.groups() if g is not None).strip()
        return found
    if connector is None:
        # "remind me every Friday at 4": a reminder that still needs its text, unless the rest
        # says something else ("send me a reminder of overdue follow-ups")
        rest = _blank(probe.low, 0, 0)
        return found if not _FILLER.sub(" ", rest).strip() else None
    found.region = (connector.start(), len(text.raw))
    said = text.raw[connector.end() :]
    # "2 days after each interview, remind me to …": an event said before is the trigger
    to_do = connector.group(0) == "to"
    # a time before or after each interview said before the text is the trigger too ("remind
    # me 2 hours after each interview to …")
    between = read_events(Text(text.raw[head.end() : connector.start()])).relative
    if _names_a_skill(said, to_do) or _names_an_event(text.raw[: head.start()]) or between:
        return None
    return found


def message_of(found: ReminderWords, text: Text) -> tuple[str, tuple[int, int] | None, str | None]:
    """The reminder's text once `text` has lost the schedule's words, the span of a channel
    named after it (" on Slack", which is output, not text), and a question when a time read
    sits inside the text as part of a name ("the 3pm call"): quotes tell which it is."""
    if found.region is None:
        return found.message, None, None
    trailing = _TRAILING_OUTPUT.search(text.raw, found.region[0])
    if found.quoted:
        return found.message, trailing.span() if trailing else None, None
    begin, end = _text_window(found, text)
    raw, low = text.raw[begin:end], text.low[begin:end]
    read = [not r.isspace() and c == " " for r, c in zip(raw, low, strict=True)]
    _drop_lead_ins(raw, read)
    _drop_separators(raw, read)
    kept = " ".join("".join(" " if gone else r for r, gone in zip(raw, read, strict=True)).split())
    kept = _TRAILING.sub("", _LEADING.sub("", kept))
    if found.kept is not None:  # the quote marks themselves are no part of the text
        kept = re.sub(r"[\"“”]", "", kept)
    # punctuation left alone where schedule words were ("the team lunch !"), and the request's
    # own end: "can you remind me ... to do the standup?" asks, the text does not
    kept = _SPACED_MARK.sub(r"\1", kept).rstrip(" .!")
    if _ASKED.match(text.low):
        kept = kept.rstrip(" ?")
    return kept, trailing.span() if trailing else None, _time_in_text(raw, read)


def _text_window(found: ReminderWords, text: Text) -> tuple[int, int]:
    """Where the reminder's text stands in `text`: its region without a leading connector
    ("to") or a channel named after it."""
    assert found.region is not None
    start, end = found.region
    trailing = _TRAILING_OUTPUT.search(text.raw, start)
    if trailing is not None:
        end = trailing.start()
    connector = _CONNECTOR.match(text.low, start)
    return (connector.end() if connector else start), end


def inner_time_at(found: ReminderWords, text: Text) -> tuple[int, int] | None:
    """The span in `text` of schedule words read inside the reminder's text as part of a name
    ("weekly" in "send the weekly update"), the words message_of asks about; None if none."""
    if found.region is None or found.quoted:
        return None
    begin, end = _text_window(found, text)
    raw, low = text.raw[begin:end], text.low[begin:end]
    read = [not r.isspace() and c == " " for r, c in zip(raw, low, strict=True)]
    _drop_lead_ins(raw, read)
    _drop_separators(raw, read)
    span = _inner_time(raw, read)
    return None if span is None else (begin + span[0], begin + span[1])


def keep_as_written(found: ReminderWords, low: str) -> str:
    """`low` with the quoted part of the reminder's text hidden from every rule: no rule reads
    it, and the text keeps it as written."""
    if found.kept is None:
        return low
    start, end = found.kept
    return low[:start] + KEPT * (end - start) + low[end:]


KEPT = "\u2022"  # stands in the working text for words no rule may read


def _drop_lead_ins(raw: str, read: list[bool]) -> None:
    """Marks as read a lead-in ("on", "at", "in the") standing right before read words."""
    for word in re.finditer(r"[A-Za-z]+", raw):
        if word.group(0).lower() not in _LEAD_IN:
            continue
        after = _skip_spaces(raw, word.end())
        the = re.compile(r"the\b", re.I).match(raw, after)
        if the is not None:
            after = _skip_spaces(raw, the.end())
        if after < len(raw) and read[after]:
            for index in range(word.start(), after):
                read[index] = True


def _drop_separators(raw: str, read: list[bool]) -> None:
    """Marks as read the punctuation between read words ("Mon/Thu", "9am, 5pm")."""
    for index, char in enumerate(raw):
        if read[index] or char.isalnum() or char.isspace():
            continue
        left = index - 1
        while left >= 0 and raw[left].isspace():
            left -= 1
        right = _skip_spaces(raw, index + 1)
        if left >= 0 and read[left] and right < len(raw) and read[right]:
            read[index] = True


def _skip_spaces(raw: str, index: int) -> int:
    while index < len(raw) and raw[index].isspace():
        index += 1
    return index


_APOSTROPHES = "'\u2019"


def _time_in_text(raw: str, read: list[bool]) -> str | None:
    """A question when words read as the schedule stand between a determiner and more of the
    text ("book the 9am room"), where they more likely name something than say when."""
    span = _inner_time(raw, read)
    if span is None:
        return None
    index, stop = span
    before, after = raw[:index].split(), raw[stop:].split()
    said = f"{before[-1]} {raw[index:stop].strip()}"
    if after[0][0] in _APOSTROPHES:  # a possessive: "the friday's numbers"
        phrase = said + " ".join(after[:2])
    else:
        phrase = f"{said} {after[0]}"
    return (
        f"Is “{phrase}” part of what to remind you of, or of when? Say “text” or “time” "
        '(or put the text in double quotes, for example: remind me to "book the 9am room" '
        "every Friday at 3pm)."
    )


def _inner_time(raw: str, read: list[bool]) -> tuple[int, int] | None:
    """The span of the first words read as the schedule that stand between a determiner and
    more of the text, or None."""
    index = 0
    while index < len(raw):
        if not read[index]:
            index += 1
            continue
        stop = index
        while stop < len(raw) and (read[stop] or raw[stop].isspace()):
            stop += 1
        before, after = raw[:index].split(), raw[stop:].split()
        # "the 9am room", and a possessive: "the friday's numbers"
        named = bool(after) and (after[0][0].isalnum() or after[0][0] in _APOSTROPHES)
        if before and named and (before[-1].lower() in _DETERMINERS or before[-1].endswith("'s")):
            return index, stop
        index = stop
    return None


_NEW_TEXT = re.compile(
    r"^\s*(?:please\s+)?(?:(?:change|update|edit|set|make|have)\s+(?:it|this|that|the\s+reminder|"
    r"my\s+reminder)\s+(?:to\s+)?say|(?:it|the\s+reminder)\s+should\s+say|"
    r"(?:change|update|edit|set|reword)\s+(?:the\s+|its\s+|my\s+)?(?:reminder(?:'s)?\s+)?"
    r"(?:text|message|wording)\s+to(?:\s+say)?)\s*[:,]?\s+(?P<text>.+?)\s*(?:,?\s+instead)?[.!]?\s*$",
    re.I | re.S,
)


def new_text(change: str) -> str | None:
    """The new text a change to a reminder says ("change the reminder to say call Priya",
    "make it say “book the room”"), quotes taken off; None when it says no new text."""
    m = _NEW_TEXT.match(change)
    if m is None:
        return None
    said = m.group("text").strip()
    quoted = _QUOTED.fullmatch(said)
    if quoted is not None:
        said = next(g for g in quoted.groups() if g is not None)
    return said.strip()


def _names_a_skill(said: str, to_do: bool) -> bool:
    """Whether the words after "remind me to" name what a skill does: its own words, a
    condition on candidates or an event. After "to" (`to_do`) a task follows: a report it
    names ("remind me to review the sourcing list") is what to do, not what to send, unless
    the words ask to be sent it; a skill that itself reminds of work due is asked for."""
    low = said.lower()
    named = {name for name, pattern in SKILL_PATTERNS if pattern.search(low)}
    if named and (not to_do or named & _REMINDING or _SENT.search(low)):
        return True
    text = Text(said)
    stage, stage_question = read_stage_condition(text)
    if stage is not None or stage_question is not None:
        return True
    days, _, condition_question = read_condition(text)
    if days is not None or condition_question is not None:
        return True
    events = read_events(text)
    return bool(events.event_type or events.question)


def _names_an_event(said: str) -> bool:
    events = read_events(Text(said))
    return bool(events.event_type)


def _blank(low: str, start: int, end: int) -> str:
    return low[:start] + " " * (end - start) + low[end:]
