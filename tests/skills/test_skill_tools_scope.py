"""The skills' tool-set methods keep to the actor's organisation and role: holidays are edited by
admins only and per organisation; another organisation's sequences and candidates are not
found; bad input is refused with a clear message and changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.errors import InvalidInput, NotFound, PermissionDenied
from models.settings import load_settings
from models.tables.demo_ats import AtsCandidate
from skills.ats.seed import seed_demo

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def test_holidays_and_sequences_stay_inside_the_actors_organisation(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW, candidates=8)
    other = make_org(engine, NOW, slug="rival")
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    demo_admin = Actor(demo.org_id, demo.admin_id, "admin", "alex.admin@demo.skilltick.local")
    demo_member = Actor(
        demo.org_id, demo.member_ids[0], "member", "dana.recruiter@demo.skilltick.local"
    )
    rival = Actor(other.org_id, other.admin_id, "admin", other.admin_email)

    tools.add_holiday(rival, "2027-01-04", "Rival retreat")
    assert date(2027, 1, 4) not in {h.day for h in tools.list_holidays(demo_member)}
    with pytest.raises(PermissionDenied, match="Only admins"):
        tools.add_holiday(demo_member, date(2027, 1, 5))
    with pytest.raises(NotFound):
        tools.remove_holiday(demo_admin, "2027-01-04")  # the rival's day, not ours
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        tools.add_holiday(demo_admin, "next friday")

    [welcome] = tools.list_sequences(demo_member)
    assert tools.list_sequences(rival) == []
    with pytest.raises(NotFound):
        tools.enrol_in_sequence(rival, welcome.id, 1)
    with Session(engine) as session:
        candidate = session.scalars(
            select(col(AtsCandidate.id))
            .where(col(AtsCandidate.org_id) == demo.org_id)
            .order_by(col(AtsCandidate.id).desc())
        ).first()
    assert candidate is not None
    enrolment = tools.enrol_in_sequence(demo_member, welcome.name, candidate)
    assert enrolment.status == "pending" and enrolment.next_step == 1
    with pytest.raises(InvalidInput, match="not a candidate id"):
        tools.enrol_in_sequence(demo_member, welcome.name, -3)
    assert tools.sequence_analytics(rival) == []
    [stats] = tools.sequence_analytics(demo_member, welcome.id)
    assert stats["enrolled"] >= 1
    tools.remove_from_sequence(demo_member, welcome.id, candidate)
    [stats] = tools.sequence_analytics(demo_member, str(welcome.id))
    assert stats["stopped_by_reason"]["removed"] == 1
