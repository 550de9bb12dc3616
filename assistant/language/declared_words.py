"""A skill's params said in the words its read-back uses for them: "looking back 48 hours on the
first run", "contracts ending within 45 days", "flagging candidates waiting 4 business days or
more", "only the onboarding sequence". Each param's declared words (SKILL.md `words:`) are read
back as a pattern, the value where `{value}` goes, so what a read-back says can be said to a
new request or as a change and sets that param.

Only words distinctive enough to be no other phrase are read: three words or more besides the
value ("for {value}" or "saying “{value}”" are read by their own readers, as are a stage's and
a department's)."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from assistant.language.words import NUMBER_RE, number

if TYPE_CHECKING:
    from skills.base import ParamSpec, SkillSpec

_LEAST_WORDS = 3
# params whose words have readers of their own, which spell the value as it is stored (a stage
# as the pipeline names it, a department as the jobs do)
_OWN_READERS = frozenset({"stage", "departments"})
# a value said last ends at punctuation or where what else a request says starts
_END = r"(?=\s*(?:[,.;!?]|$)|\s+(?:then|every|each|at|on|when|whenever|to|via|by|from|until)\b)"
_VALUE = {
    "integer": rf"(?P<v>{NUMBER_RE})",
    "string": r"[“\"']?(?P<v>[\w][\w'\u2019 &+/-]*?)[”\"']?",
    "list": r"(?P<v>[\w][\w'\u2019 ,&+/-]*?)",
}
# a quote in declared words may be typed or typographic, or left out
_QUOTES = {"“": "[“\"']?", "”": "[”\"']?"}


@dataclass(frozen=True, slots=True)
class DeclaredSaid:
    """One param said in its declared words: which, its value, where, and the words."""

    skill: str
    name: str
    value: Any
    span: tuple[int, int]
    said: str
    in_range: bool = True


@cache
def _pattern(words: str, kind: str) -> re.Pattern[str] | None:
    """The declared words as a pattern whose group "v" is the value; None when they are too
    few to tell the phrase from others."""
    if kind not in _VALUE:
        return None
    parts = list(string.Formatter().parse(words))
    literal = " ".join(text for text, _, _, _ in parts)
    if len(re.findall(r"[a-z]+", literal.lower())) < _LEAST_WORDS:
        return None
    pattern = ""
    for i, (text, name, _, _) in enumerate(parts):
        piece = r"\s+".join(re.escape(w) for w in text.split(" ")) if text.strip() else text
        for quote, loose in _QUOTES.items():
            piece = piece.replace(re.escape(quote), loose)
        pattern += piece
        if name == "s":
            pattern += "s?"
        elif name in ("value", "any"):
            pattern += _VALUE[kind]
            last = not "".join(t for t, _, _, _ in parts[i + 1 :]).strip()
            pattern += _END if last and kind != "integer" else ""
    return re.compile(rf"\b{pattern}", re.I)


def said_back(name: str, param: ParamSpec) -> bool:
    """Whether a param's declared words are read as it is said here."""
    if not isinstance(param.words, str) or name in _OWN_READERS:
        return False
    return _pattern(param.words, param.type) is not None


def declared_in(text: str, specs: Mapping[str, SkillSpec]) -> list[DeclaredSaid]:
    """Every param of `specs` said in its declared words in `text`, first ones first."""
    found: list[DeclaredSaid] = []
    for skill, spec in specs.items():
        for name, param in spec.params.items():
            if not said_back(name, param):
                continue
            pattern = _pattern(str(param.words), param.type)
            if pattern is None or (m := pattern.search(text)) is None:
                continue
            value, in_range = _value(param, m.group("v"))
            if value is not None:
                found.append(DeclaredSaid(skill, name, value, m.span(), m.group(0), in_range))
    return sorted(found, key=lambda d: d.span)


def _value(param: ParamSpec, said: str) -> tuple[Any, bool]:
    said = said.strip()
    if param.type == "integer":
        amount = number(said)
        if amount is None:
            return None, False
        least, most = param.minimum, param.maximum
        return amount, (least is None or amount >= least) and (most is None or amount <= most)
    if param.type == "list":
        items = re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", said)
        return [item for item in items if item], True
    return said, True


def range_words(param: ParamSpec) -> str:
    """ "1 to 8760": what an integer param takes."""
    most = "any number" if param.maximum is None else str(param.maximum)
    return f"{param.minimum if param.minimum is not None else 0} to {most}"
