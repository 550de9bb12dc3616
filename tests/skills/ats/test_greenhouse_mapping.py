"""Harvest v1 records as Greenhouse documents them (the shapes of its API reference's examples)
map to the mirror's records: users whose only addresses are in `emails` (plain strings), hired
applications with no current stage, all-day interviews, hiring managers without `responsible`."""

from __future__ import annotations

from datetime import UTC, date, datetime

from skills.ats import greenhouse_mapping as gh


def test_a_user_without_a_primary_address_is_matched_by_the_first_of_its_emails() -> None:
    record = {"id": 112, "primary_email_address": None, "emails": ["juliet.burke@example.com"]}
    mapped = gh.user(record)
    assert mapped is not None and mapped.email == "juliet.burke@example.com"
    documented = {**record, "primary_email_address": "jb@example.com", "emails": ["x@example.com"]}
    assert gh.user(documented) == gh.MirrorUser("112", "jb@example.com")


def test_a_hired_application_without_a_current_stage_is_named_by_its_status() -> None:
    record = {
        "id": 69306314,
        "candidate_id": 57683957,
        "prospect": False,
        "applied_at": "2017-09-29T12:56:05.244Z",
        "last_activity_at": "2017-09-29T13:00:28.038Z",
        "jobs": [{"id": 107761, "name": "UX Designer - Boston"}],
        "status": "hired",
        "current_stage": None,
    }
    mapped = gh.application(record)
    assert mapped is not None
    assert (mapped.stage, mapped.status, mapped.job) == ("Hired", "hired", "107761")
    assert mapped.moved_at == datetime(2017, 9, 29, 13, 0, 28, 38000, tzinfo=UTC)


def test_an_all_day_interview_starts_at_midnight_and_awaiting_feedback_is_completed() -> None:
    record = {
        "id": 9128482,
        "application_id": 432905,
        "start": {"date": "2017-08-22"},
        "end": {"date": "2017-08-23"},
        "status": "awaiting_feedback",
        "created_at": "2016-02-10T14:31:51.019Z",
        "updated_at": "2016-05-23T20:43:11.679Z",
        "interview": {"id": 7002, "name": "Whiteboarding Challenge"},
        "interviewers": [{"id": 3412, "name": "Charlie Pace", "scorecard_id": None}],
    }
    mapped = gh.interview(record)
    assert mapped is not None
    assert mapped.starts_at == datetime(2017, 8, 22, tzinfo=UTC)
    assert (mapped.status, mapped.interviewer, mapped.scorecard_submitted_at) == (
        "completed",
        "3412",
        None,
    )


def test_a_job_takes_its_first_hiring_manager_and_its_responsible_recruiter() -> None:
    record = {
        "id": 6404,
        "name": "Archaeologist",
        "status": "closed",
        "created_at": "2013-12-10T14:42:58Z",
        "departments": [{"id": 25907, "name": "Second-Level department"}],
        "offices": [{"id": 47012, "name": "New York", "location": {"name": "New York, US"}}],
        "hiring_team": {
            "hiring_managers": [{"id": 84275, "name": "Kaylee Prime"}, {"id": 169779}],
            "recruiters": [
                {"id": 81111, "responsible": False},
                {"id": 153448, "responsible": True},
            ],
        },
    }
    mapped = gh.job(record, [])
    assert mapped is not None
    assert (mapped.hiring_manager, mapped.recruiter, mapped.location) == (
        "84275",
        "153448",
        "New York, US",
    )


def test_an_accepted_offer_keeps_its_start_date() -> None:
    record = {
        "id": 1142785,
        "application_id": 91081818,
        "created_at": "2018-06-06T20:23:10.378Z",
        "resolved_at": "2018-06-06T20:23:43.387Z",
        "starts_at": "2018-07-20",
        "status": "accepted",
    }
    mapped = gh.offer(record)
    assert mapped is not None
    assert (mapped.status, mapped.start_date) == ("accepted", date(2018, 7, 20))


def test_a_jobs_pipeline_is_its_active_stages_by_priority() -> None:
    stages = [
        {"id": 72200, "name": "Face to Face", "active": True, "priority": 1},
        {"id": 72199, "name": "Offer", "active": True, "priority": 3},
        {"id": 72198, "name": "Old Screen", "active": False, "priority": 2},
        {"id": 72194, "name": "Application Review", "active": True, "priority": 0},
    ]
    assert gh.pipeline_positions(stages) == (
        ("Application Review", 0),
        ("Face to Face", 500),
        ("Offer", 1000),
    )
