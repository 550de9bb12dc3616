"""Lever v1 records in their documented shapes map to the mirror's records: times in
milliseconds, an empty `archived` as active, the hired archive reason as hired, a lead (no
posting) as no application, a posting's state as a job status, a cancelled or past interview;
and a listing that keeps naming the same next page is stopped."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bench.kit.peers.local_http import Reply, serve
from skills.ats import lever_mapping as lever
from skills.ats.lever_client import LeverClient, LeverError

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
STAGES = {"st-1": "New applicant", "st-2": "On-site interview"}


def opportunity(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": "opp-1",
        "name": "Shane Smith",
        "contact": "contact-1",
        "headline": "Brickly LLC, Vandelay Industries",
        "stage": "st-2",
        "emails": ["shane@example.org"],
        "phones": [{"type": "mobile", "value": "+1 555 0100"}],
        "sources": ["LinkedIn"],
        "owner": "user-rita",
        "archived": None,
        "applications": [{"id": "app-1", "posting": "posting-1", "type": "posting"}],
        "createdAt": 1407460071043,
        "lastInteractionAt": 1417588008869,
        "lastAdvancedAt": 1417588008869,
    }
    return {**record, **changes}


def test_an_opportunity_is_a_contact_and_an_application_in_its_posting() -> None:
    person = lever.candidate(opportunity())
    app = lever.application(opportunity(), STAGES, {"ar-hired"})
    assert person is not None and app is not None
    assert (person.external_id, person.first_name, person.last_name) == (
        "contact-1",
        "Shane",
        "Smith",
    )
    assert person.created_at == datetime(2014, 8, 8, 1, 7, 51, 43000, tzinfo=UTC)
    assert (app.external_id, app.candidate, app.job) == ("opp-1", "contact-1", "posting-1")
    assert (app.stage, app.status) == ("On-site interview", "active")
    assert app.moved_at == datetime.fromtimestamp(1417588008.869, tz=UTC)


def test_archive_reasons_decide_hired_or_rejected_and_an_empty_archived_is_active() -> None:
    hired = opportunity(archived={"archivedAt": 1417588008869, "reason": "ar-hired"})
    passed = opportunity(archived={"archivedAt": 1417588008869, "reason": "ar-other"})
    empty = opportunity(archived={"archivedAt": None, "reason": None})
    statuses = [lever.application(r, STAGES, {"ar-hired"}) for r in (hired, passed, empty)]
    assert [a.status if a else None for a in statuses] == ["hired", "rejected", "active"]


def test_a_lead_in_no_posting_is_a_candidate_without_an_application() -> None:
    lead = opportunity(applications=[])
    assert lever.candidate(lead) is not None
    assert lever.application(lead, STAGES, set()) is None
    ids_only = opportunity(applications=["app-1"])  # read without expand=applications
    assert lever.application(ids_only, STAGES, set()) is None


def test_a_postings_state_is_its_job_status() -> None:
    states = ["published", "internal", "closed", "draft", "pending", "rejected"]
    jobs = [
        lever.job({"id": f"p{n}", "text": "Engineer", "state": state, "createdAt": 1407460071043})
        for n, state in enumerate(states)
    ]
    assert [j.status if j else None for j in jobs] == [
        "open",
        "open",
        "closed",
        "draft",
        "draft",
        "draft",
    ]


def test_interviews_are_cancelled_completed_or_scheduled() -> None:
    def interview(starts: datetime, **changes: object) -> dict[str, object]:
        return {
            "id": "iv-1",
            "subject": "On-site interview",
            "interviewers": [{"id": "user-hank", "email": "hank@acme.test"}],
            "createdAt": 1407460071043,
            "date": int(starts.timestamp() * 1000),
            "duration": 30,
            "feedbackForms": ["ff-1"],
            "canceledAt": None,
            **changes,
        }

    past = lever.interview(interview(NOW - timedelta(hours=2)), "opp-1", NOW)
    soon = lever.interview(interview(NOW + timedelta(hours=2)), "opp-1", NOW)
    cancelled = lever.interview(
        interview(NOW + timedelta(hours=2), canceledAt=1407460071043), "opp-1", NOW
    )
    assert past is not None and soon is not None and cancelled is not None
    assert (past.status, past.kind, past.interviewer) == ("completed", "onsite", "user-hank")
    assert past.ends_at - past.starts_at == timedelta(minutes=30)
    assert past.scorecard_submitted_at == past.ends_at
    assert (soon.status, soon.scorecard_submitted_at) == ("scheduled", None)
    assert cancelled.status == "cancelled"


def test_a_listing_whose_next_page_never_changes_stops_with_one_line() -> None:
    def stuck(method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        page = {"data": [{"id": "u1"}], "hasNext": True, "next": "same-token"}
        return 200, {"Content-Type": "application/json"}, json.dumps(page).encode()

    with serve(stuck) as url:
        client = LeverClient("key", f"{url}/v1", sleep=lambda seconds: None)
        pages: list[list[dict[str, object]]] = []
        with pytest.raises(LeverError) as failed:
            pages.extend(client.pages("users"))
    assert len(pages) == 2 and client.requests == 2
    assert str(failed.value) == "Lever GET /v1/users gave the same next page twice."


def test_an_offer_maps_by_status_with_its_start_date_and_signing_time() -> None:
    record: dict[str, object] = {
        "id": "offer-1",
        "createdAt": 1417588008869,
        "status": "signed",
        "creator": "user-rita",
        "fields": [
            {"text": "Salary", "identifier": "salary_amount", "value": 100000},
            {"text": "Start", "identifier": "anticipated_start_date", "value": 1420070400000},
        ],
        "sentDocument": {"fileName": "offer.pdf", "uploadedAt": 1417588008869},
        "signedDocument": {"fileName": "signed.pdf", "uploadedAt": 1417674408869},
    }
    signed = lever.offer(record, "opp-1")
    assert signed is not None
    assert (signed.application, signed.status) == ("opp-1", "accepted")
    assert str(signed.start_date) == "2015-01-01"
    assert signed.accepted_at == datetime(2014, 12, 4, 6, 26, 48, 869000, tzinfo=UTC)
    opened = lever.offer({**record, "status": "opened", "signedDocument": None}, "opp-1")
    assert opened is not None and (opened.status, opened.accepted_at) == ("extended", None)
    denied = lever.offer({**record, "status": "denied", "fields": []}, "opp-1")
    assert denied is not None and (denied.status, denied.start_date) == ("declined", None)
    for unsent in ("draft", "approval-sent", "approved"):
        assert lever.offer({**record, "status": unsent}, "opp-1") is None
