"""Days of the week in words: "weekdays", "weekends", "Tuesdays through Fridays and Sundays",
"Mondays and Thursdays", "only on Tuesday", "every weekday except Friday", "next Monday".

Days said away ("except weekends", "but not on Fridays", "apart from Sunday", "skip Mondays")
have one grammar here, read the same in a new request and in a change to an existing one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.language.clock_words import Text
from assistant.language.words import DAY_CODES, DAY_RE, DAY_WORDS

if TYPE_CHECKING:
    from assistant.language.calendar_words import CalendarFacts


_GROUP = r"(?:weekends?|weekdays?|work\s*days?|working\s+days?|business\s+days?)"
_DAY_WORD = rf"(?:{DAY_RE}|{_GROUP})\b"
_THROUGH = r"\s*(?:to|through|thru|-|\u2013)\s*"
# "Mondays, Wednesdays and Fridays", "the weekend", "Monday through Wednesday"
DAY_LIST = (
    rf"(?:the\s+)?{_DAY_WORD}(?:\s*(?:,|\band\b|\bor\b|&|/|\bnor\b|{_THROUGH})\s*"
    rf"(?:on\s+)?(?:the\s+)?{_DAY_WORD})*"
)
# the words that take days out of the days a schedule runs on
_NOT_ON = (
    r"skip(?:ping)?|not(?:\s+on)?|never(?:\s+on)?|except(?:\s+(?:on|for))?|excluding|exclude|"
    r"no(?:\s+more)?|drop|remove|without|but\s+not(?:\s+on)?|but|apart\s+from|other\s+than|"
    r"leave\s+out|take\s+out|cut|minus|stop\s+(?:running|sending\s+it)\s+on|"
    r"(?:don't|do\s+not)\s+(?:run|send)(?:\s+it)?\s+on"
)
# "but Fridays too" puts a day in: only days not followed by "too" or "as well" are taken out
EXCLUDED = re.compile(
    rf"\b(?P<how>{_NOT_ON})\s+(?:on\s+)?(?P<days>{DAY_LIST})(?!\s+(?:too|as\s+well)\b)"
)


def day_codes(days: str) -> set[str]:
    """The days a list of day words names: "weekends" -> SA, SU; "Monday to Wednesday" ->
    MO, TU, WE; "Fridays and the weekend" -> FR, SA, SU."""
    codes: set[str] = set()
    for m in re.finditer(rf"({DAY_RE}){_THROUGH}({DAY_RE})\b", days):
        first, last = codes_of(m.group(1)), codes_of(m.group(2))
        if first and last:
            codes |= set(_day_range(first, last))
        days = days[: m.start()] + " " * (m.end() - m.start()) + days[m.end() :]
    for word in re.findall(_DAY_WORD, days):
        if word.startswith("weekend"):
            codes |= {"SA", "SU"}
        elif re.fullmatch(_GROUP, word):
            codes |= set(DAY_CODES[:5])
        elif code := codes_of(word):
            codes.add(code)
    return codes


def codes_of(word: str) -> str | None:
    word = word.lower().rstrip("s") if word.lower() not in ("tues", "thurs", "weds") else word
    for length in (len(word), 5, 4, 3, 2):
        code = DAY_WORDS.get(word[:length].lower())
        if code:
            return code
    return None


def _day_range(first: str, last: str) -> list[str]:
    a, b = DAY_CODES.index(first), DAY_CODES.index(last)
    if a <= b:
        return list(DAY_CODES[a : b + 1])
    return list(DAY_CODES[a:]) + list(DAY_CODES[: b + 1])


def read_weekdays(text: Text, facts: CalendarFacts) -> None:
    """The days of the week into `facts` (after the other calendar words were read)."""

    def mention(what: str) -> None:
        facts.mentions.append(what)

    # days said away first: "every day but not on weekends" runs on weekdays
    except_days: set[str] = set()
    while excluded := text.pop(EXCLUDED):
        except_days |= day_codes(excluded.group("days"))

    # --- days of the week -------------------------------------------------------------------
    if m := text.pop(
        r"\b(?:every\s+|on\s+|each\s+)?(?:weekdays?|work\s*days?|working\s+days?|"
        r"business\s+days?|monday\s*(?:to|through|thru|-|\u2013)\s*friday|"
        r"mon\s*(?:to|-|\u2013)\s*fri)\b(?:\s+only)?"
    ):
        facts.days = list(DAY_CODES[:5])
        mention("weekdays")
    elif m := text.pop(r"\b(?:every\s+|on\s+|at\s+)?(?:the\s+)?weekends?\b"):
        facts.days = ["SA", "SU"]
        mention("weekends")
    range_re = r"\b(" + DAY_RE + r")\s*(?:to|through|thru|-|\u2013)\s*(" + DAY_RE + r")\b"
    ranged: list[str] = []  # "Tuesdays through Fridays and Sundays": ranges and days add up
    while m := text.pop(range_re):
        first, last = codes_of(m.group(1)), codes_of(m.group(2))
        if first and last:
            ranged += [d for d in _day_range(first, last) if d not in ranged]
            mention(m.group(0))
    if ranged:
        facts.days = sorted(set(facts.days) | set(ranged), key=DAY_CODES.index)
    named: list[tuple[str, bool]] = []  # (code, plural or after every/each/on ... and)
    for m in list(
        re.finditer(
            r"\b(every\s+|each\s+|next\s+|this\s+|coming\s+|only\s+(?:on\s+)?)?(" + DAY_RE + r")\b",
            text.low,
        )
    ):
        code = codes_of(m.group(2))
        if code is None:
            continue
        prefix = (m.group(1) or "").strip()
        plural = m.group(2).endswith("s") and m.group(2) not in ("tues", "thurs", "weds")
        if prefix == "next":
            facts.next_week = True
        named.append((code, prefix.startswith(("every", "each", "only")) or plural))
        if prefix in ("next", "this", "coming"):
            named[-1] = (code, False)
            facts.single_day = code
        text.take(m)
    if named:
        codes = list(dict.fromkeys(c for c, _ in named))
        recurring = (
            any(r for _, r in named)
            or len(codes) > 1
            or facts.every_weeks > 1
            or (facts.weekly or facts.daily or bool(facts.days))
        )
        if recurring:
            if ranged:
                codes = sorted(set(codes) | set(facts.days), key=DAY_CODES.index)
                facts.days = []
            if facts.days and set(codes) - set(facts.days):
                facts.question = (
                    f"You said {mention_days(facts.days)} and also "
                    f"{mention_days(codes)}; which days should it run?"
                )
            facts.days = facts.days if facts.days and set(codes) <= set(facts.days) else codes
            facts.single_day = None
            mention(mention_days(codes))
        elif facts.single_day is None:
            facts.single_day = codes[0]
            mention(f"on {mention_days(codes)}")
    if except_days:
        base = facts.days or (list(DAY_CODES) if facts.daily else list(DAY_CODES[:5]))
        facts.days = [d for d in base if d not in except_days]
        facts.daily = False
        if not facts.days:
            facts.question = (
                "That leaves no day for it to run on; which days should it run, e.g. "
                "“every weekday”?"
            )


def mention_days(codes: list[str]) -> str:
    names = dict(
        zip(
            DAY_CODES,
            "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
            strict=True,
        )
    )
    if codes == list(DAY_CODES[:5]):
        return "weekdays"
    words = [names[c] + "s" for c in codes]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
