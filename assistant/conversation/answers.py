"""Short answers to a question about the words just said: "Do you mean 7 in the morning or 7 in
the afternoon (7am or 7pm)?" ("pm", "in the evening", "7pm" make the asked time whole in the
words that raised the question, a new request or a change) and "30 minutes earlier or later?"
("later" says which way the change moves it). The words are then read again as if said that
way at once."""

from __future__ import annotations

import re

_ASKED = re.compile(
    r"\((\d{1,2}(?::\d\d)?)am or \1pm\)|^Do you mean ((?:half|quarter) (?:past|to) \d{1,2}) in the"
)
_ANSWER = re.compile(
    r"(?:(?:it's|its|i mean|make it|at)\s+)?(?:(\d{1,2}(?::\d\d)?)\s*)?"
    r"(a\.?m\.?|p\.?m\.?|(?:in the )?morning|(?:in the )?afternoon|(?:in the )?evening|"
    r"at night|tonight)(?:,? please| then)?"
)
_MARKED = r"(?!\s*(?:a\.?m\b|p\.?m\b|in the|at night|tonight|o'?clock\s+(?:in|at)))"


_WHICH_WAY = re.compile(r"^(.+?) earlier or later\?$")
_WAY = re.compile(
    r"(?:(?:make|move|push|put|have)\s+it\s+|(?:a\s+)?(?:bit\s+)?)?"
    r"(later|earlier|back|forward|sooner)(?:,?\s+(?:please|then|thanks))?"
)


def asks_back(question: str) -> bool:
    """Whether `question` asks about the words just said, so a short answer completes them."""
    return _ASKED.search(question) is not None or _WHICH_WAY.match(question) is not None


def completed(question: str, said: str, answer: str) -> str | None:
    """`said` made whole by `answer` to `question`; None when it is no answer to it."""
    return with_am_or_pm(question, said, answer) or with_way(question, answer)


def with_way(question: str, answer: str) -> str | None:
    """ "later" answering "30 minutes earlier or later?": the change, said with its way."""
    asked = _WHICH_WAY.match(question)
    m = _WAY.fullmatch(answer.strip().lower().rstrip(".!"))
    if asked is None or m is None:
        return None
    way = "later" if m.group(1) in ("later", "back") else "earlier"
    return f"move it {asked.group(1).lower()} {way}"


def with_am_or_pm(question: str, said: str, answer: str) -> str | None:
    """`said` with the time `question` asked about made whole by `answer`; None when the
    answer is not one ("the second one", a whole new request) or the time is not found."""
    asked = _ASKED.search(question)
    m = _ANSWER.fullmatch(answer.strip().lower().rstrip(".!"))
    if asked is None or m is None:
        return None
    morning = m.group(2).startswith(("a", "morning", "in the morning"))
    if asked.group(2):  # "half past 4": only a part of the day makes it whole
        spoken = re.escape(asked.group(2))
        part = "in the morning" if morning else "in the afternoon"
        whole, hits = re.subn(
            rf"\b{spoken}\b{_MARKED}", f"{asked.group(2)} {part}", said, count=1, flags=re.I
        )
        return whole if hits else None
    time = asked.group(1)
    clock = rf"(?<![\d:.]){re.escape(time)}(?:\s*o'?clock)?(?![\d:.]){_MARKED}"
    new = f"{m.group(1) or time}{'am' if morning else 'pm'}"
    # the hour after "at", "to", "it" or "for" is the one asked about; else the first
    for pattern in (rf"(?<=\b(?:at|to|it|by) ){clock}", rf"(?<=\bfor ){clock}", clock):
        whole, hits = re.subn(pattern, new, said, count=1, flags=re.I)
        if hits:
            return whole
    return None
