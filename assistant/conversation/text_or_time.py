"""Answers in words to "Is “the 9am room” part of what to remind you of, or of when?": "it's
text", "part of the message" keep the phrase in the reminder's text as written (quoted, as the
question suggests); "the time", "when" read its time words as the schedule and leave the text
without them. The request is then read again as if said that way at once."""

from __future__ import annotations

import re

_ASKED = re.compile(
    r"^Is “(?P<phrase>.+?)” part of what to remind you of, or of when\?"
    r"|^I didn't understand '(?P<unread>.+?)' as part of the schedule\. If it is part of what "
    r"to remind you of"
)
# "it's", "that's part of", "no, the": words around the answer that only say it is one
_LEAD = (
    r"(?:(?:no|yes|oh|ok|okay|sorry|it'?s|it\s+is|its|that'?s|that\s+is|they'?re|they\s+are"
    r"|i\s+meant?|part\s+of|of|the|a|an|just|as|only|in)[,\s]+)*"
)
_TEXT = (
    r"(?:text|message|reminder(?:'?s)?(?:\s+(?:text|message))?|wording|words?|name|what(?:\s+to"
    r"\s+remind\s+(?:me|you|us)\s+of)?|first(?:\s+one)?|former|what\s+it\s+says|text,?\s+not"
    r"\s+(?:a\s+|the\s+)?time)"
)
_WHEN = (
    r"(?:when|time|schedule|second(?:\s+one)?|latter|when\s+it\s+(?:goes|runs)|a\s+time"
    r"|time,?\s+not\s+(?:the\s+)?text)"
)
_ANSWER = re.compile(rf"{_LEAD}(?:(?P<text>{_TEXT})|(?P<when>{_WHEN}))(?:[,\s]+(?:please|thanks))?")
# the phrase asked about: a determiner, the words read as time, the name they stand in
_PHRASE = re.compile(r"^(?P<lead>\S+)\s+(?P<time>.+?)(?P<owner>['\u2019]s)?\s+(?P<noun>\S+)$")


def text_or_time(question: str, said: str, answer: str) -> str | None:
    """`said` rewritten as `answer` decides about the phrase `question` asked of; None when
    it is no answer to that question or the phrase is no longer found."""
    asked = _ASKED.search(question)
    m = _ANSWER.fullmatch(answer.strip().lower().rstrip(".!"))
    if asked is None or m is None:
        return None
    phrase = asked.group("phrase") or asked.group("unread")
    at = said.find(phrase)
    if at < 0:
        return None
    if m.group("text"):
        return f"{said[:at]}“{phrase}”{said[at + len(phrase) :]}"
    parts = _PHRASE.match(phrase) if asked.group("phrase") else None
    if parts is None:
        return None
    # the text keeps the name ("book the room"); the time joins the schedule at the end
    named = f"{parts.group('lead')} {parts.group('noun')}"
    rest = f"{said[:at]}{named}{said[at + len(phrase) :]}".rstrip(" .!")
    return f"{rest}, {parts.group('time')}"
