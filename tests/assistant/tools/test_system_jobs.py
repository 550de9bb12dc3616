"""The organisation's system jobs: four fixed automations every organisation has (created with
it, and by `db upgrade` for organisations that predate them), seen and run by admins only, not
counted by the plan, and run by the tick like any other automation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import column, insert, select, table
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from typer.testing import CliRunner

from assistant.cli.root import app
from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.engine import make_engine
from models.errors import InvalidInput, PermissionDenied
from models.migrate import upgrade
from models.settings import load_settings
from models.store import sequences as sequences_store
from models.store.automations import count_active, list_automations
from models.store.orgs import get_user
from models.store.system_jobs import OFF_UNTIL_RESUMED, list_system_jobs, wake_sequence_job
from models.tables.automations import Automation
from models.tables.demo_ats import AtsApplication
from models.tables.orgs import Organization
from models.tables.runs import AutomationRun, RunCounter
from models.tables.sequences import Enrolment
from skills.ats.seed import seed_demo
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # a Monday
SYSTEM_SKILLS = ["nurture-sequence", "followups", "scheduled-report", "renewal-reminders"]


def tools_for(engine: Engine) -> Toolset:
    return Toolset(engine, load_settings(), clock=lambda: NOW)


def actor(engine: Engine, user_id: int) -> Actor:
    return Actor.of(get_user(engine, user_id))


def test_a_new_organisation_has_the_four_system_jobs_seen_by_admins_only(engine: Engine) -> None:
    org = make_org(engine, NOW, plan="free")
    tools = tools_for(engine)
    admin, member = actor(engine, org.admin_id), actor(engine, org.member_id)
    jobs = tools.list_automations(admin, system=True)
    assert [j.skill for j in jobs] == SYSTEM_SKILLS
    assert all(j.system and j.owner_email == org.admin_email for j in jobs)
    # the sequence job works from the start; the ones that send mail wait for an admin
    assert [j.enabled for j in jobs] == [True, False, False, False]
    assert {j.paused_reason for j in jobs[1:]} == {OFF_UNTIL_RESUMED}
    # not the plan's to count, and not mixed into people's own listings
    assert count_active(engine, org.org_id) == 0
    assert tools.list_automations(admin) == []
    with pytest.raises(PermissionDenied):
        tools.list_automations(member, system=True)
    # a second admin, or creating the organisation's jobs again, adds nothing
    from models.store.orgs import create_user

    create_user(engine, org_id=org.org_id, email="second@acme.test", role="admin", now=NOW)
    assert len(list_system_jobs(engine, org.org_id)) == 4


def test_only_admins_run_pause_or_change_a_system_job_and_nobody_deletes_it(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW, plan="free")
    tools = tools_for(engine)
    admin, member = actor(engine, org.admin_id), actor(engine, org.member_id)
    report = next(j for j in tools.list_automations(admin, system=True) if j.skill == "followups")
    for call in (
        lambda: tools.get_automation(member, report.id),
        lambda: tools.run_now(member, report.id),
        lambda: tools.resume(member, report.id),
        lambda: tools.update_automation(member, report.id, {"cron": "0 7 * * *"}),
        lambda: tools.delete(member, report.id, confirm=True),
    ):
        with pytest.raises(PermissionDenied, match="system jobs; only an admin"):
            call()
    # an admin turns it on even on the free plan's automation limit, and may change it
    assert tools.resume(admin, report.id).enabled is True
    changed = tools.update_automation(admin, report.id, {"cron": "0 7 * * MON-FRI"})
    assert changed.cron == "0 7 * * MON-FRI"
    with pytest.raises(InvalidInput, match="its skill stays"):
        tools.update_automation(admin, report.id, {"skill": "pipeline-report"})
    with pytest.raises(InvalidInput, match="cannot be deleted; pause it instead"):
        tools.delete(admin, report.id, confirm=True)
    assert tools.run_now(admin, report.id).status == "pending"
    assert len(list_system_jobs(engine, org.org_id)) == 4


def test_members_cannot_create_the_organisation_wide_jobs_for_themselves(engine: Engine) -> None:
    org = make_org(engine, NOW)
    tools = tools_for(engine)
    member = actor(engine, org.member_id)

    def spec(skill: str, **params: object) -> AutomationSpec:
        return AutomationSpec(name=skill, skill=skill, cron="0 9 * * MON", params=params)

    for refused in (
        spec("nurture-sequence"),
        spec("renewal-reminders"),
        spec("scheduled-report"),  # the whole organisation by default
        spec("followups", scope="organization"),
    ):
        with pytest.raises(PermissionDenied, match=r"only an\s+admin"):
            tools.create_automation(member, refused)
    assert list_automations(engine, org.org_id) == []
    # their own follow-ups and their own report remain theirs to have
    mine = tools.create_automation(member, spec("followups", scope="mine"))
    assert mine.system is False
    admin_made = tools.create_automation(actor(engine, org.admin_id), spec("renewal-reminders"))
    assert admin_made.system is False


def test_db_upgrade_gives_organisations_made_before_system_jobs_theirs(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0007")  # the schema before system jobs, with one organisation
        with Session(engine) as s, s.begin():
            old = Organization(slug="old", name="Old", plan="pro", created_at=NOW)
            s.add(old)
            s.flush()
            # the users table as it was then: the columns it had, not the model's of today
            users_then = table(
                "users", *(column(c) for c in ("org_id", "email", "name", "role", "created_at"))
            )
            s.execute(
                insert(users_then).values(
                    org_id=old.id or 0, email="a@old.test", name="", role="admin", created_at=NOW
                )
            )
            old_id = old.id or 0
        monkeypatch.setenv("SKILLTICK_DATABASE_URL", db_url)
        for _ in range(2):  # upgrading again creates nothing more
            result = CliRunner().invoke(app, ["db", "upgrade"])
            assert result.exit_code == 0, result.output
            assert [j.skill for j in list_system_jobs(engine, old_id)] == SYSTEM_SKILLS
        listed = CliRunner().invoke(
            app, ["automations", "list", "--org", "old", "--system", "--json"]
        )
        assert listed.exit_code == 0, listed.output
        assert '"system": true' in listed.stdout
    finally:
        engine.dispose()


def test_enrolments_advance_without_anyone_creating_a_nurture_automation(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLTICK_DATABASE_URL", db_url)
    seeded = CliRunner().invoke(app, ["demo", "seed", "--candidates", "20"])
    assert seeded.exit_code == 0, seeded.output
    engine = make_engine(db_url)
    try:
        demo = seed_demo(engine, now=NOW)  # the organisation `demo seed` made
        with Session(engine) as s:
            person = s.scalars(
                select(col(AtsApplication.candidate_id))
                .where(col(AtsApplication.stage) == "Applied")
                .order_by(col(AtsApplication.id))
            ).first()
            assert person is not None
            made_by_people = s.scalars(
                select(Automation).where(
                    col(Automation.skill) == "nurture-sequence", col(Automation.system).is_(False)
                )
            ).all()
        assert made_by_people == []
        sequence = sequences_store.find_sequence(engine, demo.org_id, "New applicant welcome")
        sequences_store.enrol(engine, demo.org_id, sequence.id or 0, person, now=NOW)
        worker = Worker(engine, load_settings(smtp_host=None, output_ttl_hours=0))
        worker.tick(NOW + timedelta(seconds=30))
        (job,) = [j for j in list_system_jobs(engine, demo.org_id) if j.enabled]
        with Session(engine) as s:
            enrolment = s.scalars(
                select(Enrolment).where(col(Enrolment.candidate_id) == person)
            ).one()
            assert (enrolment.status, enrolment.next_step) == ("pending", 2)
            runs = s.scalars(
                select(AutomationRun).where(col(AutomationRun.automation_id) == job.id)
            ).all()
            assert [(r.triggered_by, r.status) for r in runs] == [("schedule", "completed")]
    finally:
        engine.dispose()


def test_an_organisation_created_from_the_command_line_has_its_system_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/skilltick.db"
    monkeypatch.setenv("SKILLTICK_DATABASE_URL", url)
    made = CliRunner().invoke(app, ["orgs", "create", "acme", "--admin", "boss@acme.test"])
    assert made.exit_code == 0, made.output
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            org_id = s.scalars(
                select(col(Organization.id)).where(col(Organization.slug) == "acme")
            ).one()
        assert org_id is not None
        jobs = list_system_jobs(engine, org_id)
        assert [j.skill for j in jobs] == SYSTEM_SKILLS
        assert {get_user(engine, j.owner_id).email for j in jobs} == {"boss@acme.test"}
    finally:
        engine.dispose()


def test_an_idle_sequence_check_keeps_no_run_and_counts_toward_nothing(engine: Engine) -> None:
    org = make_org(engine, NOW, plan="pro")
    (job,) = [j for j in list_system_jobs(engine, org.org_id) if j.enabled]
    with Session(engine) as s, s.begin():  # woken once, it then checks every minute
        wake_sequence_job(s, org.org_id, NOW + timedelta(minutes=1))
    worker = Worker(engine, load_settings(smtp_host=None, output_ttl_hours=0))
    for minute in range(1, 4):  # no enrolment has a step due: every check finds nothing
        report = worker.tick(NOW + timedelta(minutes=minute, seconds=5))
        assert report.claimed == 1 and report.skipped_reasons == {"nothing_due": 1}

    def runs() -> list[AutomationRun]:
        with Session(engine) as s:
            return list(
                s.scalars(select(AutomationRun).where(col(AutomationRun.automation_id) == job.id))
            )

    assert runs() == [], "run history is not flooded with a skipped run a minute"
    with Session(engine) as s:
        assert s.scalars(select(RunCounter).where(col(RunCounter.org_id) == org.org_id)).all() == []
        stored = s.get(Automation, job.id)
        assert stored is not None
        assert (stored.status, stored.last_run_at, stored.last_run_status) == ("idle", None, None)
        assert stored.next_run_at is not None
        assert stored.next_run_at > NOW + timedelta(minutes=3)  # still checking each minute
    # an admin who runs it by hand sees that run, whatever it finds
    tools = tools_for(engine)
    tools.run_now(actor(engine, org.admin_id), job.id or 0)
    worker.tick(NOW + timedelta(minutes=4, seconds=5))
    assert [(r.triggered_by, r.skipped_reason) for r in runs()] == [("manual", "nothing_due")]
