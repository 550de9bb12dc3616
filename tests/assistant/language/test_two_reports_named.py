"""A second report named beside the drafted one ("send me the pipeline report and the HR
report") is never dropped in silence: the read-back says in one line which one was drafted and
that the other is asked for next; two reports the service has each make a question."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.language.understand import understand

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
# a report the service makes, said as a user names it, and its skill
KNOWN = (
    ("the pipeline report", "pipeline-report"),
    ("my pipeline summary", "pipeline-report"),
    ("the open roles report", "open-roles-report"),
    ("the stale candidates list", "stale-candidate-sla"),
)
# reports named that no skill makes
OTHER = ("the hr report", "the HR report", "our finance summary", "the weekly payroll digest")
JOINS = (" and ", ", and ", " plus ", " as well as ", " & ")
FRAMES = (
    "every monday at 9am send me {a}{j}{b}",
    "email me {a}{j}{b} every friday at 4pm",
    "every weekday at 8am post {a}{j}{b} in #hiring",
)


def test_the_report_not_drafted_is_named_in_one_line() -> None:
    pairs = itertools.product(KNOWN, OTHER, JOINS, FRAMES)
    for turn, ((known, skill), other, join, frame) in enumerate(pairs):
        a, b = (known, other) if turn % 2 else (other, known)
        request = frame.format(a=a, j=join, b=b)
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.status == "ok", (request, draft.question)
        assert draft.skill == skill, request
        line = f"One automation sends one report: I drafted {known}; ask for {other} next."
        assert draft.notes.count(line) == 1, (request, draft.notes)
        assert f"Note: {line}" in draft.summary, request


def test_two_reports_the_service_makes_are_a_question() -> None:
    for request in (
        "every monday at 9am send me the pipeline report and the sourcing recap",
        "every monday at 9am send me the hiring report and the pipeline report",
    ):
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.status == "question", request
        assert (draft.question or "").startswith("Which one should it do"), request


def test_one_report_described_in_two_words_has_no_such_line() -> None:
    for request in (
        "every monday at 9am send me the pipeline report",
        "every monday at 9am send me a summary and a list of stale candidates",
        "remind me to read the pipeline report and the hr report every monday at 9am",
        "every monday at 9am send me the pipeline report and the hiring team the same",
    ):
        draft = understand(request, tz="UTC", now=NOW)
        assert not any("One automation sends one report" in n for n in draft.notes), request
