"""Nothing said about time is silently dropped: every rule blanks the words it read out of the
working text, so whatever temporal word is still there at the end was understood by no rule. It
becomes a question that names it, never a schedule that leaves it out."""

from __future__ import annotations

import re

from assistant.language.clock_words import Text
from assistant.language.words import DAY_RE, MONTH_RE, NUMBER_RE

_TEMPORAL = (
    r"\b(?:" + DAY_RE + r"|" + MONTH_RE + r"\.?"
    r"|every|each|daily|weekly|monthly|yearly|annually|quarterly|hourly|fortnightly|bi-?weekly"
    r"|days?|weeks?|months?|years?|hours?|minutes?|mins?|hrs?|quarters?|fortnight|weekends?"
    r"|weekdays?|times|once|twice|except|excluding|until|till|til|through|thru|starting|beginning"
    r"|ending|other|alternate|am|pm|a\.m\.|p\.m\.|noon|midnight|midday|morning|afternoon|evening"
    r"|night|tonight|tomorrow|today|o'?clock|first|second|third|fourth|fifth|last|penultimate"
    r"|\d+(?:st|nd|rd|th)|\d{1,2}(?::\d{2})?\s*[ap]|\d{1,2}:\d{2}|\d+|during|between|since"
    r"|annual|biannual|semiannual|half-yearly|holidays?|sundown|sunset|sunrise|dawn|summer|winter"
    r"|autumn|spring|(?:19|20)\d\d|end|middle|mid-\w+|start|beginning|christmas|easter)\b"
)
_TEMPORAL_RE = re.compile(_TEMPORAL)
_ABOUT_ITEMS = re.compile(
    r"\b(?:over)?due\s+(?:today|tomorrow|this\s+week|(?:in|within)\s+\S+\s+\w+)\b"
)
# words that may sit between temporal words and belong to the same phrase
_GLUE = {"in", "on", "of", "the", "and", "at", "from", "to", "a", "an", "for", "but", "not", "only"}
# words that are temporal only in some company: "may" the month or the verb, "second" the
# ordinal or the unit; a leftover "may" alone is a verb
_WEAK = {"may", "second", "other", "once", "times", "mar", "sun", "sat", "wed", "every", "each"}
_WEAK |= {"first", "last", "am", "a", "p", "start", "spring", "end"}
# "Monday through Friday", but "go through the CVs", "during the call": a verb's or a noun's
_WEAK |= {"through", "thru", "during"}
# "the hr report", "a min of 3": a unit abbreviated is about time only with an amount before it
_UNIT_ABBREVIATIONS = {"hr", "hrs", "min", "mins"}
_AMOUNT = re.compile(NUMBER_RE + r"|few|half|every|each|per|several|couple")


def _words(low: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[\w':.#@-]+", low)]


def unread_time_words(text: Text) -> str | None:
    """The first phrase about time that no rule read, in the user's spelling, or None."""
    # what is due describes the items reported, not when the report runs
    low = _ABOUT_ITEMS.sub(lambda m: " " * len(m.group(0)), text.low)
    words = _words(low)
    for index, (_, _, word) in enumerate(words):
        bare = word.strip(".,:;")
        if not _TEMPORAL_RE.fullmatch(bare) and not _TEMPORAL_RE.fullmatch(word):
            continue
        if bare in _WEAK and not _neighbour_is_temporal(words, index):
            continue
        if bare in _UNIT_ABBREVIATIONS and not (
            index > 0 and _AMOUNT.fullmatch(words[index - 1][2].strip(".,:;"))
        ):
            continue
        if bare.isdigit() and len(bare) != 4 and not _neighbour_is_temporal(words, index):
            continue
        first = last = index
        while first > 0 and _joins(words, first - 1, first, low):
            first -= 1
        while last + 1 < len(words) and _joins(words, last, last + 1, low):
            last += 1
        while first < last and words[first][2] in _GLUE:
            first += 1
        while last > first and words[last][2] in _GLUE:
            last -= 1
        start, end = words[first][0], words[last][1]
        return text.raw[start:end].strip(" ,.;")
    return None


def _is_temporal(word: str) -> bool:
    return bool(_TEMPORAL_RE.fullmatch(word.strip(".,:;")))


def _neighbour_is_temporal(words: list[tuple[int, int, str]], index: int) -> bool:
    for other in (index - 1, index + 1, index - 2, index + 2):
        if 0 <= other < len(words) and other != index:
            word = words[other][2].strip(".,:;")
            if (
                word not in _WEAK | _UNIT_ABBREVIATIONS
                and not word.isdigit()
                and _is_temporal(word)
            ):
                return True
    return False


def _joins(words: list[tuple[int, int, str]], left: int, right: int, low: str) -> bool:
    """Adjacent in the text (no read words between) and both part of a time phrase."""
    gap = low[words[left][1] : words[right][0]]
    if len(gap) > 2 or any(c in gap for c in ",;"):
        return False
    return all(_is_temporal(words[i][2]) or words[i][2] in _GLUE for i in (left, right))


_WEEK_RATE = re.compile(
    r"\s*\b(twice|thrice|(?:two|three|four|five|six|[2-6])\s+times)\s+(?:a|per|each)\s+week\b",
    re.I,
)
_NAMED_DAYS = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day|\bweekdays?\b", re.I)


def without_week_rate(request: str) -> str:
    """ "twice a week on Mondays and Thursdays": the days say when; the rate alone would be
    left over (or taken for a reminder's words). Quoted words are left as said."""
    if re.search(r"[\"“”]", request) or not _NAMED_DAYS.search(request):
        return request
    return _WEEK_RATE.sub("", request)


def leftover_question(text: Text) -> str | None:
    phrase = unread_time_words(text)
    if phrase is None:
        return None
    rate = _WEEK_RATE.search(text.raw)
    if rate and phrase.strip().lower() in rate.group(0).lower():
        # how many a week, not which days: they are asked for
        return (
            f"{rate.group(0).strip().capitalize()} on which days? Say e.g. “every Monday and Thursday at "
            "9am”."
        )
    if re.match(r"(?:except|excluding|but not|not)\b", phrase, re.I):
        return (
            f"I can't yet do '{phrase}': shall I run it without that exception, or can you "
            "say the days it should run instead?"
        )
    return (
        f"I didn't understand '{phrase}' as part of the schedule; could you say it another "
        "way, or tell me to leave it out?"
    )
