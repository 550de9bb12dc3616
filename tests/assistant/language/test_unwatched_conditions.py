"""An offer not signed within some days is a condition no skill watches: the answer says so in
one line and offers what can be done, and each offer reads back as the draft it promises."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from assistant.language import understand

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CONDITIONS = (
    "an offer isn't signed within {n} days",
    "an offer is not signed in {n} days",
    "an offer hasn't been accepted after {n} days",
    "the offer is still not signed after {n} days",
    "offers are not signed within {n} days",
)
TEMPLATES = ("when {c}, remind me", "remind me if {c}", "email me when {c}", "if {c}, tell me")


def test_an_unsigned_offer_gets_what_can_be_done_instead() -> None:
    for n in (2, 3, 7):
        for condition in CONDITIONS:
            for template in TEMPLATES:
                request = template.format(c=condition.format(n=n))
                draft = understand(request, tz="UTC", now=NOW)
                assert draft.status == "question", request
                answer = draft.question or ""
                assert "\n" not in answer and not answer.startswith("I couldn't tell"), request
                offers = re.findall(r"“([^”]+)”", answer)
                assert len(offers) == 2, answer
                instead = understand(offers[0], tz="UTC", now=NOW)
                assert instead.ok and instead.skill == "stale-candidate-sla", offers[0]
                assert instead.params["stage"] == "Offer"
                # calendar days: the business days they hold on average
                assert instead.params["business_days"] == max(1, round(n * 5 / 7))
                accepted = understand(offers[1], tz="UTC", now=NOW)
                assert accepted.ok and accepted.skill == "offer-accepted-alert", offers[1]


def test_offers_said_otherwise_are_read_as_before() -> None:
    for request, skill in (
        ("when an offer is accepted, email me", "offer-accepted-alert"),
        ("when a candidate signs the offer, tell me", "offer-accepted-alert"),
    ):
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.ok and draft.skill == skill, (request, draft.question)
