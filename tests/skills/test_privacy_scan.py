"""Privacy: every built-in skill runs through the real worker tick over PII-rich
demo data — distinctive names, addresses and phone numbers in several formats, some repeated in
free text — then every stored column of the run tables is scanned for every candidate's full
name, email address and phone number: zero hits. The full output is kept for its TTL by design;
once the pruner has run past it, that column has no hits either. Plus the scrubber's own rules."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.settings import load_settings
from models.store import sequences as sequences_store
from models.store.automations import add_automation
from models.store.run_queue import queue_run
from models.tables.automations import Automation
from models.tables.deliveries import Delivery
from models.tables.demo_ats import AtsApplication, AtsCandidate, AtsInterview, AtsOffer
from models.tables.runs import AutomationRun, Notice, RunAction, RunTarget
from skills.ats.seed import seed_demo
from skills.scrub import Scrubber
from worker.run.retention import prune
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # Monday: 13:00 in New York, 10:00 in LA
RUN_TABLES: tuple[Any, ...] = (AutomationRun, RunTarget, RunAction, Delivery, Notice)
# distinctive people, with phone numbers in the formats recruiters paste
DISTINCT = (
    ("Zephyrine", "Quillfeather", "zephyrine.q+jobs@mail.example.org", "(415) 555-0199"),
    ("Bartholomew", "Okonkwo-Vance", "bart.ov@example.net", "+44 20 7946 0958"),
    ("Saoirse", "Ní Bhriain", "saoirse.nib@example.com", "415.555.0123"),
    ("Thaddeus", "Wexley", "T.Wexley@Example.com", "+1 212 555 0142"),
    ("Ottoline", "Brackenbury", "ottoline@brackenbury.example", "4155550177"),
    ("Ignatius", "Fairweather", "iggy.fw@example.com", "+49 30 901820"),
)


def make_pii_rich(engine: Engine, org_id: int, candidate_ids: list[int]) -> None:
    """Give these candidates distinctive contact details, echoed in their free text."""
    with Session(engine) as session, session.begin():
        for cid, (first, last, email, phone) in zip(candidate_ids, DISTINCT, strict=False):
            row = session.get(AtsCandidate, cid)
            assert row is not None and row.org_id == org_id
            row.first_name, row.last_name, row.email, row.phone = first, last, email, phone
            row.headline = f"Python engineer — reach {first} {last} at {email} or {phone}"
        for interview in session.scalars(
            select(AtsInterview).where(col(AtsInterview.org_id) == org_id)
        ):
            phone = DISTINCT[(interview.id or 0) % len(DISTINCT)][3]
            interview.notes = f"Candidate asked us to call {phone}"


def first(engine: Engine, query: Any) -> int:
    with Session(engine) as session:
        value = session.scalars(query).first()
    assert value is not None
    return int(value)


def automations(engine: Engine, org_id: int, owner_id: int) -> list[tuple[Automation, dict]]:
    """One automation per built-in skill (and its event data), email or in-app."""
    interview_candidate = first(
        engine,
        select(col(AtsApplication.candidate_id))
        .where(col(AtsApplication.org_id) == org_id, col(AtsApplication.stage) == "Interview")
        .order_by(col(AtsApplication.id)),
    )
    upcoming = first(
        engine,
        select(col(AtsInterview.id))
        .where(
            col(AtsInterview.org_id) == org_id,
            col(AtsInterview.status) == "scheduled",
            col(AtsInterview.starts_at) > NOW,
        )
        .order_by(col(AtsInterview.starts_at)),
    )
    done = first(
        engine,
        select(col(AtsInterview.id))
        .where(col(AtsInterview.org_id) == org_id, col(AtsInterview.status) == "completed")
        .order_by(col(AtsInterview.starts_at).desc()),
    )
    accepted = first(
        engine,
        select(col(AtsOffer.id))
        .where(col(AtsOffer.org_id) == org_id, col(AtsOffer.status) == "accepted")
        .order_by(col(AtsOffer.id)),
    )
    workflow = {
        "actions": [
            {
                "type": "send_email",
                "to": "candidate",
                "subject": "Hello {{ candidate.name }}",
                "body": "We will call you on {{ candidate.phone }}.",
            },
            {"type": "update_field", "entity": "application", "field": "priority", "value": "high"},
            {
                "type": "send_email",
                "to": "owner",
                "subject": "{{ candidate.name }} moved",
                "body": "{{ candidate.email }} {{ no_such_field.x }}",
            },
            {
                "type": "create_task",
                "title": "Call {{ candidate.name }} on {{ candidate.phone }}",
                "due_in_days": 1,
            },
        ]
    }
    plan: list[tuple[str, dict, str, list[str], dict]] = [
        ("pipeline-report", {"scope": "organization"}, "email", ["me"], {}),
        ("sourcing-recap", {"scope": "organization", "days": 30}, "email", ["me"], {}),
        ("new-candidate-alert", {"since_hours": 24 * 60}, "in_app", ["me"], {}),
        ("stale-candidate-sla", {"scope": "organization"}, "email", ["me"], {}),
        ("followups", {"scope": "organization"}, "in_app", ["me"], {}),
        ("renewal-reminders", {}, "email", ["me"], {}),
        (
            "scheduled-report",
            {"report": "stale-candidate-sla"},
            "email",
            ["me", "hiring-leads@agency.example"],
            {},
        ),
        ("interview-prep", {}, "email", ["candidate", "me"], {"candidate_id": interview_candidate}),
        ("offer-accepted-alert", {}, "email", ["hiring_manager"], {"offer_id": accepted}),
        ("interview-briefing", {}, "in_app", ["interviewer"], {"interview_id": upcoming}),
        ("post-interview-followup", {}, "email", ["interviewer"], {"interview_id": done}),
        ("nurture-sequence", {}, "email", ["me"], {}),
        ("workflow", workflow, "email", ["me"], {"candidate_id": interview_candidate}),
        (
            "candidate-note",
            {"kind": "rejection", "message": "It was a pleasure to meet you."},
            "email",
            ["candidate", "me"],
            {"candidate_id": interview_candidate},
        ),
        (
            "event-alert",
            {},
            "email",
            ["hiring_manager", "me"],
            {"event": "candidate.withdrawn", "candidate_id": interview_candidate, "event_id": 1},
        ),
        ("noop", {}, "in_app", ["me"], {}),
        # fails: the candidate does not exist (an error message and an owner notice)
        ("interview-prep", {}, "email", ["candidate"], {"candidate_id": 987654}),
    ]
    result = []
    for skill, params, channel, to, trigger in plan:
        auto = add_automation(
            engine,
            Automation(
                org_id=org_id,
                owner_id=owner_id,
                name=f"privacy {skill}",
                skill=skill,
                params=params,
                trigger_type="event",
                event_type="candidate.stage_changed",
                output_channel=channel,
                output_config={"to": to},
                created_at=NOW,
                updated_at=NOW,
            ),
        )
        result.append((auto, trigger))
    return result


def pii_of(engine: Engine, org_id: int) -> list[tuple[str, str]]:
    """(what, needle) for every candidate: full name, email, phone as stored and as digits."""
    with Session(engine) as session:
        people = session.execute(
            select(
                col(AtsCandidate.first_name),
                col(AtsCandidate.last_name),
                col(AtsCandidate.email),
                col(AtsCandidate.phone),
            ).where(col(AtsCandidate.org_id) == org_id)
        ).all()
    needles: list[tuple[str, str]] = []
    for first_name, last_name, email, phone in people:
        needles += [
            ("name", f"{first_name} {last_name}".lower()),
            ("email", email.lower()),
            ("phone", phone.lower()),
            ("phone digits", re.sub(r"\D", "", phone)),
        ]
    needles += [("name", last.lower()) for _, last, _, _ in DISTINCT]  # unusual surnames alone
    return needles


def stored_values(engine: Engine, *, only: str | None = None) -> list[tuple[str, str]]:
    """(table.column, text) for every non-null stored value of the run tables."""
    found: list[tuple[str, str]] = []
    with Session(engine) as session:
        for model in RUN_TABLES:
            table: Table = model.__table__
            for row in session.execute(select(table)).mappings():
                for column, value in row.items():
                    where = f"{table.name}.{column}"
                    if value is None or (only is not None and where != only):
                        continue
                    if only is None and where == "automation_runs.output":
                        continue  # kept for its TTL by design: scanned after pruning
                    text = (
                        json.dumps(value, default=str)
                        if isinstance(value, dict | list)
                        else str(value)
                    )
                    found.append((where, text.lower()))
    return found


def hits(values: list[tuple[str, str]], needles: list[tuple[str, str]]) -> list[str]:
    result = []
    for where, text in values:
        digits = re.sub(r"\D", "", text)
        for what, needle in needles:
            haystack = digits if what == "phone digits" else text
            # hashes and ids are hex/decimal strings: only look for digit runs in short values
            if what == "phone digits" and (
                len(needle) < 7
                or where.endswith(("output_hash", "recipient_key", "message_id", "occurrence_key"))
            ):
                continue
            if needle and needle in haystack:
                result.append(f"{where}: {what} {needle!r}")
    return result


def test_no_stored_run_column_names_a_candidate_or_holds_their_contact_details(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW, candidates=40)
    with Session(engine) as session:
        query = (
            select(col(AtsCandidate.id))
            .where(col(AtsCandidate.org_id) == demo.org_id)
            .order_by(col(AtsCandidate.id))
        )
        ids = [i for i in session.scalars(query) if i is not None]
    make_pii_rich(engine, demo.org_id, ids)
    welcome = sequences_store.find_sequence(engine, demo.org_id, "New applicant welcome")
    for cid in ids[:3]:
        sequences_store.enrol(
            engine, demo.org_id, welcome.id or 0, cid, now=NOW - timedelta(days=10)
        )
    plan = automations(engine, demo.org_id, demo.member_ids[0])
    for auto, trigger in plan:
        queue_run(
            engine,
            automation_id=auto.id or 0,
            org_id=demo.org_id,
            triggered_by="event",
            now=NOW,
            trigger_data=trigger,
        )
    settings = load_settings(smtp_host=None, output_ttl_hours=24)
    Worker(engine, settings).tick(NOW)

    with Session(engine) as session:
        runs = {r.automation_id: r for r in session.scalars(select(AutomationRun))}
    statuses = {
        auto.skill + ("!" if trigger.get("candidate_id") == 987654 else ""): runs[
            auto.id or 0
        ].status
        for auto, trigger in plan
    }
    assert statuses == {
        "pipeline-report": "completed",
        "sourcing-recap": "completed",
        "new-candidate-alert": "completed",
        "stale-candidate-sla": "completed",
        "followups": "completed",
        "renewal-reminders": "completed",
        "scheduled-report": "completed",
        "interview-prep": "completed",
        "offer-accepted-alert": "completed",
        "interview-briefing": "completed",
        "post-interview-followup": "completed",
        "nurture-sequence": "completed",
        "workflow": "partial",
        "candidate-note": "completed",
        "event-alert": "completed",
        "noop": "completed",
        "interview-prep!": "failed",
    }
    with Session(engine) as session:
        assert session.scalars(select(Notice)).first() is not None
        assert len(session.scalars(select(Delivery)).all()) >= 13

    needles = pii_of(engine, demo.org_id)
    values = stored_values(engine)
    assert len(values) > 300  # the scan saw the history, not an empty table
    assert hits(values, needles) == []

    # the full output names people (that is its job) until the TTL ends
    outputs = stored_values(engine, only="automation_runs.output")
    assert hits(outputs, needles)
    prune(engine, settings.core, NOW + timedelta(hours=25))
    assert hits(stored_values(engine, only="automation_runs.output"), needles) == []
    assert hits(stored_values(engine), needles) == []


def test_the_scrubber_removes_emails_phones_and_the_runs_names_but_keeps_dates_and_ids() -> None:
    scrub = Scrubber(["Zephyrine Quillfeather", "Ana"])
    assert scrub.text("Mail zephyrine.q+jobs@mail.example.org now") == "Mail [email] now"
    for phone in (
        "(415) 555-0199",
        "+44 20 7946 0958",
        "415.555.0123",
        "+1 212 555 0142",
        "+1-212-555-0142",
        "4155550177",
    ):
        assert scrub.text(f"call {phone} today") == "call [phone] today", phone
    assert scrub.text("Zephyrine Quillfeather moved; ana too") == "[name] moved; [name] too"
    assert scrub.text("Banana") == "Banana"  # whole words only
    for kept in (
        "2026-11-23",
        "on 2026-11-23T14:00:00+00:00",
        "run 123456",
        "#42",
        "offer 98765 expires 2026-12-01",
        "3 of 12 (25%)",
        "v1.2.3",
    ):
        assert scrub.text(kept) == kept
    nested = scrub.value({"a": ["Ana called 415.555.0123", {"b": "x@y.example"}], "n": 5})
    assert nested == {"a": ["[name] called [phone]", {"b": "[email]"}], "n": 5}


def test_the_name_less_scrubber_scrubs_alike_however_often_it_has_seen_clean_text() -> None:
    scrub = Scrubber()
    row = {"status": "completed", "detail": {"channel": "email", "ref": "83422d56b9dbe804"}}
    for _ in range(3):  # the second and third passes answer from what the first checked
        assert scrub.value(row) is row  # nothing to replace: the same row, not a copy
        assert scrub.text("Mail ana@x.example or 415.555.0123") == "Mail [email] or [phone]"
    pii = {"kept": [1, "ok"], "error": "bounced for ana@x.example"}
    scrubbed = scrub.value(pii)
    assert scrubbed == {"kept": [1, "ok"], "error": "bounced for [email]"}
    assert pii["error"] == "bounced for ana@x.example"  # the input is left as it was
    assert scrub.value(("ok", 1)) == ["ok", 1]
    # what the name-less scrubber found clean still loses a run's candidate names
    assert scrub.text("Zephyrine moved") == "Zephyrine moved"
    assert Scrubber(["Zephyrine"]).text("Zephyrine moved") == "[name] moved"
