"""Conditions no skill watches yet, answered with what can be done instead: "when an offer isn't
signed within 3 days, remind me" needs a check of one offer's state some days after it was
made, which nothing runs; candidates still in the Offer stage after some days, or each accepted
offer, are watched."""

from __future__ import annotations

import re

from assistant.language.words import NUMBER_RE, number

#: how the answer starts: nothing of the request can be made, as with a request not understood
UNWATCHED = "I can't check whether"
_NOT = (
    r"(?:is\s*n['\u2019]?t|is\s+not|are\s*n['\u2019]?t|are\s+not|has\s*n['\u2019]?t|has\s+not|"
    r"have\s*n['\u2019]?t|have\s+not|was\s*n['\u2019]?t|was\s+not|still\s+not|not\s+yet|not|never)"
)
_UNSIGNED_OFFER = re.compile(
    r"\boffers?\b[^.;!?]*?\b" + _NOT + r"\s+(?:yet\s+|been\s+|got(?:ten)?\s+|getting\s+)*"
    r"(?:signed|accepted|countersigned|returned)\b"
    r"|\b(?:unsigned|unaccepted|outstanding|pending)\s+offers?\b"
    r"|\boffers?\s+(?:that\s+(?:are|is)\s+)?(?:still\s+)?(?:unsigned|unaccepted|outstanding)\b",
    re.I,
)
_WITHIN = re.compile(r"\b(?:within|in|after|for|by|over)\s+(" + NUMBER_RE + r")\s+days?\b", re.I)


def unwatched_question(request: str) -> str | None:
    """The one-line answer for a condition no skill can watch, else None."""
    if not _UNSIGNED_OFFER.search(request):
        return None
    days = _WITHIN.search(request)
    count = number(days.group(1)) if days else None
    wait = count if count and count > 0 else 3
    return (
        f"{UNWATCHED} an offer gets signed yet: no skill looks at an offer again "
        f"some days after it is made. I can do “every weekday at 9am, tell me about "
        f"candidates in Offer for more than {wait} days” (those still at the offer stage "
        "after that), or “when an offer is accepted, email me”."
    )
