"""A missing scorecard after a time ("if no scorecard within 2 days, ping me") is the
post-interview follow-up that long after each interview: it reminds whoever has not submitted."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.language.understand import understand

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
AMOUNTS = (
    ("2 days", 2880),
    ("24 hours", 1440),
    ("a day", 1440),
    ("48 hours", 2880),
    ("3 days", 4320),
)
FRAMES = (
    "if no scorecard within {a}, ping me",
    "remind the interviewer if no scorecard is submitted within {a}",
    "email me when a scorecard is missing after {a}",
    "if an interviewer hasn't submitted their scorecard within {a} of the interview, slack me",
)


def test_a_missing_scorecard_is_the_follow_up_that_long_after_each_interview() -> None:
    for frame, (words, minutes) in itertools.product(FRAMES, AMOUNTS):
        request = frame.format(a=words)
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.status == "ok", f"{request!r}: {draft.question}"
        assert draft.skill == "post-interview-followup", request
        assert draft.event_filter == {
            "relative_to": "interview.starts_at",
            "offset_minutes": minutes,
        }, request
        assert "did not say where" not in draft.summary, request
