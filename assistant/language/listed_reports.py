"""Two reports named in one request ("send me the pipeline report and the HR report"): one
automation runs one skill, so the draft is the one it names and the read-back says the other
was not drafted, rather than dropping it in silence."""

from __future__ import annotations

import re

from assistant.language.words import SKILL_PATTERNS

_DETERMINER = r"(?:the|a|an|my|our|their|today'?s)"
_OUTPUT_NOUN = r"(?:reports?|summary|summaries|recaps?|digests?|metrics|lists?|stats)"
# each with a word that says which one: "a summary and a list of …" is one thing described
_ONE = _DETERMINER + r"\s+(?:[\w'-]+\s+){1,3}?" + _OUTPUT_NOUN + r"\b"
_TWO_LISTED = re.compile(
    r"\b(?P<first>" + _ONE + r")\s*(?:,\s*(?:and\s+)?|\band\s+(?:also\s+)?|&\s*|\bplus\s+|"
    r"\bas\s+well\s+as\s+|\balong\s+with\s+)(?P<second>" + _ONE + r")",
    re.I,
)


def second_report_note(skill: str, request: str) -> str | None:
    """The line saying the report listed beside the drafted one is not drafted, else None
    (when neither or both of the two name the drafted skill, no line: nothing was dropped)."""
    pattern = dict(SKILL_PATTERNS).get(skill)
    if pattern is None:
        return None
    for m in _TWO_LISTED.finditer(request):
        first, second = m.group("first"), m.group("second")
        named = [bool(pattern.search(said)) for said in (first, second)]
        if named.count(True) != 1:
            continue
        drafted, other = (first, second) if named[0] else (second, first)
        return f"One automation sends one report: I drafted {drafted}; ask for {other} next."
    return None
