"""The in-memory FakeAts and the database's DemoAts answer every AtsReader question alike over
the same records, on SQLite and PostgreSQL, so skill tests on the fake say what production
does; and DemoAts sees only its own organisation."""

from __future__ import annotations

import inspect
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from models.engine import session_scope
from models.errors import InvalidInput, NotFound
from models.tables.demo_ats import (
    AtsActivity,
    AtsApplication,
    AtsCandidate,
    AtsInterview,
    AtsJob,
    AtsOffer,
    AtsPlacement,
    AtsStage,
    AtsTask,
)
from models.tables.orgs import Organization, User
from skills.ats.demo import DemoAts
from skills.ats.reader import AtsReader, AtsWriter
from tests.fakes.ats import FakeAts
from tests.fakes.ats_data import DANA, SAM, AtsData, sample_ats

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def write_to_database(engine: Engine, data: AtsData, slug: str) -> int:
    """The records as one organisation's demo tables; returns its id. Ids are kept, so the
    organisation must be the only one with ATS records in the database."""
    tables: list[tuple[type[SQLModel], list[Any], dict[str, Any]]] = [
        (AtsJob, data.jobs, {}),
        (AtsCandidate, data.candidates, {}),
        (AtsApplication, data.applications, {}),
        (AtsActivity, data.activities, {}),
        (AtsInterview, data.interviews, {"created_at": NOW}),
        (AtsTask, data.tasks, {"created_at": NOW}),
        (AtsOffer, data.offers, {}),
        (AtsPlacement, data.placements, {"created_at": NOW}),
    ]
    with session_scope(engine) as session:
        org = Organization(slug=slug, name=slug, created_at=NOW)
        session.add(org)
        session.flush()
        org_id = org.id or 0
        session.add_all(User(org_id=org_id, created_at=NOW, **asdict(user)) for user in data.users)
        session.add_all(
            AtsStage(org_id=org_id, name=name, position=position)
            for position, name in enumerate(data.stages)
        )
        session.flush()
        for table, rows, extra in tables:
            session.add_all(table(org_id=org_id, **extra, **asdict(row)) for row in rows)
            session.flush()
        if engine.dialect.name == "postgresql":  # ids given: move the sequences past them
            for name in ["users", *(str(table.__tablename__) for table, _, _ in tables)]:
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT max(id) FROM {name}))"
                    )
                )
    return org_id


def sample_pair(engine: Engine) -> tuple[FakeAts, DemoAts]:
    data = sample_ats(NOW)
    org_id = write_to_database(engine, data, "sample")
    with session_scope(engine) as session:  # a second organisation, with nothing of the ATS
        session.add(Organization(slug="other", name="Other", created_at=NOW))
    return FakeAts(data), DemoAts(engine, org_id)


@pytest.fixture
def both(engine: Engine) -> tuple[FakeAts, DemoAts]:
    return sample_pair(engine)


@pytest.fixture(scope="module")
def both_read(module_engine: Engine) -> tuple[FakeAts, DemoAts]:
    """The pair for questions that write nothing, shared by the module's tests."""
    return sample_pair(module_engine)


WEEK = NOW - timedelta(days=7)
QUESTIONS: list[tuple[str, Any]] = [
    ("stage_counts", lambda ats: ats.stage_counts()),
    ("stage_counts of an owner", lambda ats: ats.stage_counts(DANA)),
    ("stage_moves_since", lambda ats: ats.stage_moves_since(WEEK)),
    ("stage_moves_since until", lambda ats: ats.stage_moves_since(WEEK, SAM, until=NOW)),
    ("latest_stage_moves", lambda ats: ats.latest_stage_moves(WEEK, until=NOW, limit=3)),
    (
        "stage_move_counts",
        lambda ats: list(ats.stage_move_counts(WEEK - timedelta(days=7)).items()),
    ),
    ("stage_move_counts of an owner", lambda ats: ats.stage_move_counts(WEEK, DANA, until=NOW)),
    ("stale_candidates", lambda ats: ats.stale_candidates(5, NOW)),
    ("stale_candidates of an owner", lambda ats: ats.stale_candidates(1, NOW, SAM)),
    ("stale_with_owners", lambda ats: ats.stale_with_owners(2, NOW)),
    ("stuck_with_owners", lambda ats: ats.stuck_with_owners(2, NOW)),
    ("stuck_with_owners of an owner", lambda ats: ats.stuck_with_owners(1, NOW, SAM)),
    ("stage_counts of two jobs", lambda ats: ats.stage_counts(jobs=[1, 2])),
    ("stage_moves_since of a job", lambda ats: ats.stage_moves_since(WEEK, jobs=[1])),
    ("latest_stage_moves of a job", lambda ats: ats.latest_stage_moves(WEEK, jobs=[1], limit=2)),
    ("stage_move_counts of a job", lambda ats: ats.stage_move_counts(WEEK, jobs=[1], until=NOW)),
    ("stale_candidates of a job", lambda ats: ats.stale_candidates(1, NOW, jobs=[1])),
    ("stale_with_owners of a job", lambda ats: ats.stale_with_owners(1, NOW, DANA, jobs=[1])),
    ("stuck_with_owners of a job", lambda ats: ats.stuck_with_owners(1, NOW, jobs=[2, 3])),
    ("jobs", lambda ats: ats.jobs()),
    ("job_pipelines", lambda ats: ats.job_pipelines()),
    ("hires_between", lambda ats: ats.hires_between(NOW - timedelta(days=30), NOW)),
    ("offers_made_between", lambda ats: ats.offers_made_between(NOW - timedelta(days=400), NOW)),
    ("stage_histories", lambda ats: ats.stage_histories(NOW - timedelta(days=4), NOW)),
    ("candidate", lambda ats: ats.candidate(4)),
    ("names_of", lambda ats: sorted(ats.names_of([1, 3, 99]))),
    ("user", lambda ats: ats.user(SAM)),
    ("users", lambda ats: ats.users()),
    ("application", lambda ats: ats.application(2)),
    ("applications_of", lambda ats: ats.applications_of(1)),
    ("applications in the order given", lambda ats: ats.applications([5, 99, 2, 1])),
    (
        "ranked_applications",
        lambda ats: list(ats.ranked_applications(NOW - timedelta(days=40), NOW)),
    ),
    ("activities_between", lambda ats: ats.activities_between(WEEK, NOW)),
    ("activities_between of an owner", lambda ats: ats.activities_between(WEEK, NOW, SAM)),
    ("activities_of", lambda ats: ats.activities_of(1, NOW - timedelta(days=30), NOW)),
    (
        "activities_of_kind newest first",
        lambda ats: ats.activities_of_kind(
            WEEK, NOW, ("email", "call"), None, newest_first=True, limit=2
        ),
    ),
    ("activities_of_kind", lambda ats: ats.activities_of_kind(WEEK, NOW, ["sourced"], SAM)),
    ("activity_counts", lambda ats: ats.activity_counts(WEEK, NOW)),
    ("activity_counts of a job", lambda ats: ats.activity_counts(WEEK, NOW, jobs=[2])),
    (
        "activities_of_kind of a job",
        lambda ats: ats.activities_of_kind(WEEK, NOW, ("email", "call"), jobs=[1]),
    ),
    ("activity_counts of an owner", lambda ats: ats.activity_counts(WEEK, NOW, DANA)),
    ("interview", lambda ats: ats.interview(2)),
    ("interviews_of", lambda ats: ats.interviews_of(1)),
    (
        "interviews_between",
        lambda ats: ats.interviews_between(NOW - timedelta(days=1), NOW + timedelta(days=3)),
    ),
    ("open_tasks_due", lambda ats: ats.open_tasks_due(NOW + timedelta(hours=12))),
    ("open_tasks_due of an owner", lambda ats: ats.open_tasks_due(NOW, SAM)),
    ("offer", lambda ats: ats.offer(2)),
    ("offers_of", lambda ats: ats.offers_of(4)),
    ("offers_expiring", lambda ats: ats.offers_expiring(NOW, NOW + timedelta(days=30))),
    ("placements_ending", lambda ats: ats.placements_ending(date(2026, 11, 1), date(2027, 3, 1))),
]


@pytest.mark.parametrize("ask", [q for _, q in QUESTIONS], ids=[n for n, _ in QUESTIONS])
def test_the_fake_and_the_demo_ats_answer_alike(
    both_read: tuple[FakeAts, DemoAts], ask: Any
) -> None:
    fake, demo = both_read
    expected = ask(fake)
    assert ask(demo) == expected
    assert expected  # every question has an answer to compare


@pytest.mark.parametrize(
    "ask",
    [
        lambda ats: ats.candidate(99),
        lambda ats: ats.user(99),
        lambda ats: ats.application(99),
        lambda ats: ats.interview(99),
        lambda ats: ats.offer(99),
    ],
    ids=["candidate", "user", "application", "interview", "offer"],
)
def test_both_refuse_an_id_they_do_not_hold(both_read: tuple[FakeAts, DemoAts], ask: Any) -> None:
    for ats in both_read:
        with pytest.raises(NotFound):
            ask(ats)


def test_another_organisation_sees_nothing_of_it(engine: Engine) -> None:
    write_to_database(engine, sample_ats(NOW), "sample")
    with session_scope(engine) as session:
        other = Organization(slug="other", name="Other", created_at=NOW)
        session.add(other)
        session.flush()
        other_id = other.id or 0
    ats: AtsReader = DemoAts(engine, other_id)
    assert ats.stage_counts() == {}
    assert ats.jobs() == [] and ats.users() == {} and ats.names_of([1, 2]) == []
    assert ats.activities_between(WEEK, NOW) == [] and ats.open_tasks_due(NOW) == []
    with pytest.raises(NotFound):
        ats.candidate(1)


def test_both_write_alike_and_refuse_bad_writes_alike(both: tuple[FakeAts, DemoAts]) -> None:
    for ats in both:
        assert ats.update_field("application", 1, "priority", "normal") == "high"
        assert ats.application(1).priority == "normal"
        assert ats.update_field("candidate", 2, "source", "event") == "linkedin"
        with pytest.raises(InvalidInput, match="'urgent' is not a valid priority"):
            ats.update_field("application", 1, "priority", "urgent")
        with pytest.raises(InvalidInput, match="cannot be changed"):
            ats.update_field("candidate", 1, "email", "x@y.test")
        with pytest.raises(NotFound):
            ats.update_field("application", 99, "stage", "Screen")
        assert ats.application(1).priority == "normal"  # refused writes changed nothing
    fake, demo = both
    key: dict[str, Any] = {
        "title": "Call back",
        "due_at": NOW,
        "now": NOW,
        "owner_id": DANA,
        "candidate_id": 1,
    }
    fake_task, created = fake.create_task(**key, source_key="k1")
    assert created and fake.create_task(**key, source_key="k1") == (fake_task, False)
    demo_task, created = demo.create_task(**key, source_key="k1")
    assert created and demo.create_task(**key, source_key="k1") == (demo_task, False)
    due = NOW + timedelta(minutes=1)
    assert [t.title for t in fake.open_tasks_due(due)] == [
        t.title for t in demo.open_tasks_due(due)
    ]


def _methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


def test_every_question_a_skill_may_ask_is_in_the_contract() -> None:
    asked = {name.split()[0] for name, _ in QUESTIONS}
    assert set(_methods(AtsReader)) - asked == set()


@pytest.mark.parametrize("implementation", [FakeAts, DemoAts])
def test_both_implement_the_protocols_with_their_signatures(implementation: type) -> None:
    for protocol in (AtsReader, AtsWriter):
        for name, signature in _methods(protocol).items():
            assert inspect.signature(getattr(implementation, name)) == signature, name
