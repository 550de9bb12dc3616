"""Schedule words that name the thing sent, not when it is sent: "every day at 8am send me the
daily numbers", "send me my weekly update every Friday at 5pm", "the morning digest". Such a
word follows a determiner ("the", "my", "our") and comes before a noun; when the schedule said
without it is whole, the word is part of the object and is not read as the schedule."""

from __future__ import annotations

import re

from assistant.language.clock_words import Text

# what a cadence or a part of the day says when it describes a report or an update
_SCHEDULE_WORD = (
    r"(?:daily|weekly|monthly|quarterly|yearly|annual|fortnightly|bi-?weekly|nightly|hourly"
    r"|morning|evening|afternoon|midday|end-of-(?:day|week|month))"
)
_DETERMINER = r"(?:the|my|our|your|his|her|their|a|an)"
# "in the morning", "by the end-of-day": the phrase is a time, not a thing
_TIME_PREPOSITION = re.compile(
    r"(?:in|on|at|of|by|during|every|each|next|from|until|till|through|before|after|since"
    r"|around|about|for|per|once|twice|but|except|excluding|not|without|including"
    r"|skip|skipping|than)"
)
# a word after the schedule word that still reads as time, or ties it to a time
_NOT_A_NOUN = re.compile(
    r"(?:at|on|in|of|from|to|and|or|but|by|before|after|prior|until|till|through|between"
    r"|every|each|only|then|starting|beginning|ending|except|at|around|about|for|with|via"
    r"|a\.?m\.?|p\.?m\.?|\d.*|o'?clock|noon|midnight|daily|weekly|monthly|morning|evening"
    r"|afternoon|night|day|days|week|weeks|month|months|please|instead"
    r"|send|email|post|message|remind|share|give|tell|show|run|check|list|ping|dm|slack)"
)
_OBJECT = re.compile(
    rf"\b{_DETERMINER}\s+(?:(?!{_SCHEDULE_WORD}\b)[a-z][\w'-]*\s+)?"
    rf"(?P<word>{_SCHEDULE_WORD})\s+(?P<noun>[a-z][\w'-]*)"
)


def object_schedule_words(text: Text) -> list[tuple[int, int]]:
    """The spans of `text`'s working text where a schedule word is part of what is sent."""
    spans = []
    for found in _OBJECT.finditer(text.low):
        before = text.low[: found.start()].split()
        if _NOT_A_NOUN.fullmatch(found.group("noun")) or (
            before and _TIME_PREPOSITION.fullmatch(before[-1])
        ):
            continue
        spans.append(found.span("word"))
    return spans


def without_spans(text: Text, spans: list[tuple[int, int]]) -> Text:
    """A copy of `text` whose working text lacks `spans`."""
    copy = Text(text.raw)
    copy.low = text.low
    for start, end in spans:
        copy.low = copy.low[:start] + " " * (end - start) + copy.low[end:]
    return copy
