"""An event with no skill of its own ("when someone is hired, post in #hiring") gets a question
that offers the skills that do fit, each said as a request that reads back as a draft."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import pytest

from assistant.language.understand import understand

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
EVENTS = (
    "someone is hired",
    "a candidate is hired",
    "an interview is cancelled",
    "an interview is rescheduled",
    "a candidate withdraws",
    "a candidate is rejected",
    "a candidate replies",
    "an offer is sent",
)
OUTPUTS = ("post in #hiring", "slack me", "email me", "tell my team", "dm the whole team")


@pytest.mark.parametrize(("event", "output"), itertools.product(EVENTS, OUTPUTS))
def test_the_question_offers_requests_that_work(event: str, output: str) -> None:
    draft = understand(f"when {event}, {output}", tz="UTC", now=NOW)
    assert draft.status == "question"
    question = draft.question or ""
    offered = [s for s in re.findall(r"“([^”]+)”", question) if ", " in s]
    assert offered, question
    if "hired" in event:
        assert "offer-accepted-alert" in question
    assert question.endswith("?")
    for request in offered:
        suggested = understand(request, tz="UTC", now=NOW)
        assert suggested.status == "ok", f"{request!r}: {suggested.question}"
        if "kind note" in request:  # a note for the candidate goes to them
            assert (suggested.skill, suggested.to) == ("candidate-note", ["candidate"])
            continue
        if "#hiring" in output:
            assert suggested.to == ["#hiring"] or "post-interview" in request
        if "team" in output:
            assert suggested.to == ["team"] or "post-interview" in request
