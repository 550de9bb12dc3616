"""Candidate notes read from generated requests: each way of saying the event (a rejection, an
application, a withdrawal) with each way of asking for the note, with and without a job, in
either order, reads to the candidate-note skill of the right kind, on the right event and job,
emailed to the candidate, with its working-hours promise in the read-back."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from assistant.language.understand import understand

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
EVENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rejection": (
        "candidate.rejected",
        (
            "when a candidate is rejected",
            "whenever someone gets rejected",
            "when we reject a candidate",
            "each time an applicant is declined",
            "when they're rejected",
            "if a candidate is turned down",
        ),
    ),
    "acknowledgement": (
        "application.created",
        (
            "when someone applies",
            "whenever a candidate applies",
            "each time someone submits an application",
            "when a new application comes in",
        ),
    ),
    "withdrawal": (
        "candidate.withdrawn",
        (
            "when a candidate withdraws",
            "if someone drops out",
            "whenever an applicant pulls out",
            "when they withdraw",
        ),
    ),
}
NOTES: dict[str, tuple[str, ...]] = {
    "rejection": (
        "send them a kind note",
        "send them a rejection email",
        "let them know",
        "email them a polite rejection letter",
        "send the candidate a courtesy email",
    ),
    "acknowledgement": (
        "send them a confirmation that we got their application",
        "email them an acknowledgement",
        "send them a kind note",
        "let them know",
    ),
    "withdrawal": (
        "thank them",
        "send them a kind note",
        "email them a thank-you note",
        "let them know",
    ),
}
JOBS = ("", "Data Engineer", "Backend Engineer")


def _cases() -> list[tuple[str, str, str, str]]:
    cases: list[tuple[str, str, str, str]] = []
    for kind, (_event, events) in EVENTS.items():
        for event, note, job in itertools.product(events, NOTES[kind], JOBS):
            where = f" for the {job} role" if job else ""
            cases.append((kind, job, f"{event}{where}, {note}", "event first"))
            cases.append((kind, job, f"{note} {event}{where}", "note first"))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("kind", "job", "request_text", "order"), CASES)
def test_a_note_request_reads_to_the_note_its_event_and_job(
    kind: str, job: str, request_text: str, order: str
) -> None:
    draft = understand(request_text, tz="Europe/London", now=NOW)
    assert draft.status == "ok", f"{request_text!r}: {draft.question}"
    assert (draft.skill, draft.params) == ("candidate-note", {"kind": kind}), request_text
    assert draft.event_type == EVENTS[kind][0], request_text
    assert draft.event_filter == ({"job": job} if job else {}), request_text
    assert (draft.channel, draft.to) == ("email", ["candidate"]), request_text
    assert "- Output: email to the candidate" in draft.summary
    assert "within the candidate's working hours" in draft.summary
    assert "a test run shows it to you only" in draft.summary


def test_the_generated_table_is_large_and_covers_every_kind() -> None:
    assert len(CASES) > 250
    assert {kind for kind, *_ in CASES} == set(EVENTS)


@pytest.mark.parametrize(
    ("request_text", "minutes", "trigger"),
    [
        (
            "2 days after they're rejected, send them a kind note",
            2880,
            "2 days after a candidate is rejected",
        ),
        (
            "send a rejection email 3 hours after a candidate is rejected for the Data Engineer "
            "role",
            180,
            "3 hours after a candidate is rejected for the Data Engineer job",
        ),
        (
            "a day after someone applies, send them a confirmation",
            1440,
            "1 day after someone applies",
        ),
    ],
)
def test_a_delay_after_the_event_waits_that_long_and_reads_back(
    request_text: str, minutes: int, trigger: str
) -> None:
    draft = understand(request_text, tz="UTC", now=NOW)
    assert draft.status == "ok", draft.question
    assert draft.skill == "candidate-note"
    assert draft.event_filter.get("relative_to") == "event"
    assert draft.event_filter.get("offset_minutes") == minutes
    assert f"- Trigger: {trigger}\n" in draft.summary


def test_a_rejection_for_the_recruiter_is_an_alert_and_a_note_for_them_asks() -> None:
    draft = understand("when a candidate is rejected, email me", tz="UTC", now=NOW)
    assert (draft.status, draft.skill, draft.to) == ("ok", "event-alert", ["me"])
    draft = understand("when a candidate is rejected, send me a kind note", tz="UTC", now=NOW)
    assert draft.status == "question"
    question = draft.question or ""
    assert "“when a candidate is rejected, send them a kind note”" in question
    assert "“when a candidate is rejected, email me”" in question
    offered = understand("when a candidate is rejected, send them a kind note", tz="UTC", now=NOW)
    assert (offered.skill, offered.to) == ("candidate-note", ["candidate"])


def test_a_note_on_an_event_with_no_kind_asks_which_note() -> None:
    draft = understand("when an offer is accepted, send them a kind note", tz="UTC", now=NOW)
    assert draft.status == "question"
    assert "Which note should the candidate get" in (draft.question or "")
