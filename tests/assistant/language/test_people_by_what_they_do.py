"""People named by what they do ("the engineering managers", "the interview panel", "our design
leads") are someone the service has no record of: who they are is asked in one line, in the
words said, never sent to the requester instead. The hiring managers and the interviewers stay
roles each run names; an address said with them is where it goes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.language.understand import understand

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
WORK = ("engineering", "design", "Sales", "interview", "product", "")
NOUNS = ("managers", "leads", "panel", "directors", "reviewers", "stakeholders", "committee")
DETERMINERS = ("the", "my", "our")
FRAMES = (
    "email the hiring report to {p} every monday at 9am",
    "every monday at 9am send the pipeline report to {p}",
    "every monday at 9am share the hiring report with {p}",
    "every monday at 9am email {p} the hiring report",
    "every monday at 9am send me and {p} the hiring report",
)


def test_people_named_by_what_they_do_are_asked_for() -> None:
    for turn, (frame, noun) in enumerate(itertools.product(FRAMES, NOUNS)):
        work = WORK[turn % len(WORK)]
        det = DETERMINERS[turn % len(DETERMINERS)]
        people = f"{det} {work} {noun}".replace("  ", " ")
        request = frame.format(p=people)
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.status == "question", (request, draft.to)
        assert (draft.question or "").startswith(f"Who is “{people}”? Give me their email"), (
            request,
            draft.question,
        )


def test_roles_addresses_and_jobs_are_not_asked_for() -> None:
    for request, to in (
        ("every monday at 9am send the pipeline report to the engineering managers at em@acme.test", ["em@acme.test"]),
        ("every monday at 9am send the hiring report to the engineering leads in #eng-leads", ["#eng-leads"]),
        ("every monday at 9am send me the pipeline report for the engineering managers", ["me"]),
        ("every monday at 9am send the pipeline report to my recruiters", ["team"]),
        ("every monday at 9am send me the pipeline report", ["me"]),
    ):  # fmt: skip
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.status == "ok", (request, draft.question)
        assert draft.to == to, request
