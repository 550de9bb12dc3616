"""Defence in depth for run history: summaries are PII-free by construction, and this scrubber
removes what slipped through anyway — email addresses, phone numbers and the names of the run's
candidates — from every field the executor stores (summary, errors, metrics, target and action
rows, the TTL-bound output copy)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# +1-212-555-0142, (212) 555 0142, +44 20 7946 0958: 7+ digits with separators
# a phone number has at least 7 digits; strings without that many never need the phone pattern
_SEVEN_DIGITS = re.compile(r"(?:\d\D{0,3}){7}")
PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().-]{5,}\d(?![\w.])")
# a dotted-quad IPv4 address (each part 0-255) is a network address, never a phone number
IPV4 = re.compile(
    r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])"
)


_SUSPECT = re.compile(r"@|(?:\d\D{0,3}){7}")
_PLAIN = frozenset({int, float, bool, type(None), datetime})
# keys whose values the worker itself writes (codes, statuses, instants), never a person's data
CODE_KEYS = frozenset({"action_type", "target_type", "status", "started_at", "completed_at"})


#: how many checked-clean strings the name-less scrubber remembers (codes, keys, channel names),
#: and the longest it remembers
CLEAN_MEMORY = 4096
CLEAN_MEMORY_CHARS = 200


class Scrubber:
    def __init__(self, names: Iterable[str] = ()) -> None:
        # longest first, so "Ana Silva" goes before "Ana"; whole words only
        unique = sorted(
            {n.strip() for n in names if n and len(n.strip()) > 1}, key=len, reverse=True
        )
        alternation = r"\b(" + "|".join(map(re.escape, unique)) + r")\b" if unique else ""
        self._names = re.compile(alternation, re.IGNORECASE) if unique else None
        # one pass decides whether a text holds anything to replace; most stored strings are
        # short codes and counts with no @, few digits and no candidate's name
        self._anything = (
            re.compile(_SUSPECT.pattern + "|" + alternation, re.IGNORECASE) if unique else _SUSPECT
        )
        # strings found clean before: without names, clean once means clean always (the same
        # codes recur in every run); a scrubber with names serves one run and remembers nothing
        self._clean: set[str] | None = None if unique else set()

    def text(self, value: str) -> str:
        clean = self._clean
        if clean is not None and value in clean:
            return value
        scrubbed = value
        if self._anything.search(value) is not None:
            if "@" in scrubbed:
                scrubbed = EMAIL.sub("[email]", scrubbed)
            if _SEVEN_DIGITS.search(scrubbed):
                scrubbed = PHONE.sub(_phone, scrubbed)
            if self._names is not None:
                scrubbed = self._names.sub("[name]", scrubbed)
        if clean is not None and scrubbed == value and len(value) <= CLEAN_MEMORY_CHARS:
            # nothing to replace (a code, a hex key with many digits): it never will have
            if len(clean) >= CLEAN_MEMORY:
                clean.clear()
            clean.add(value)
        return scrubbed

    def value(self, value: Any) -> Any:
        """`value` with PII replaced. Lists and dicts in which nothing was replaced come back
        as they are, the others as new ones (tuples as lists); other values as they are."""
        kind = type(value)
        if kind is str:
            return self.text(value)
        if kind is dict:
            # numbers, flags, instants, None and the worker's own codes cannot hold PII
            plain, codes, text, clean = _PLAIN, CODE_KEYS, self.text, self._clean or ()
            out: dict[Any, Any] | None = None
            for k, v in value.items():
                t = type(v)
                if t is str:
                    if v in clean or k in codes:
                        continue
                    new = text(v)
                elif t in plain or k in codes:
                    continue
                else:
                    new = self.value(v)
                if new is not v:
                    if out is None:
                        out = dict(value)
                    out[k] = new
            return value if out is None else out
        if kind is list:
            out_list: list[Any] | None = None
            for i, v in enumerate(value):
                if type(v) in _PLAIN:
                    continue
                new = self.value(v)
                if new is not v:
                    if out_list is None:
                        out_list = list(value)
                    out_list[i] = new
            return value if out_list is None else out_list
        if kind is tuple:
            return [v if type(v) in _PLAIN else self.value(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            # a dict of its own kind (a document runs share, read only) is looked at as a dict
            as_dict = dict(value)
            scrubbed = self.value(as_dict)
            return value if scrubbed is as_dict else scrubbed
        return value


def _phone(match: re.Match[str]) -> str:
    # digits of IP addresses inside the match do not count towards a phone number
    digits = sum(c.isdigit() for c in IPV4.sub("", match.group(0)))
    # dates (2026-11-23), times and ids have fewer digits or no separators worth flagging
    if digits < 7 or re.fullmatch(r"\d{4}-\d{2}-\d{2}", match.group(0).strip()):
        return match.group(0)
    return "[phone]"
