"""Renewal reminders read contract end dates and offer expiries, which neither Greenhouse nor
Lever gives the mirror: for an organisation whose ATS is mirrored, asking for them is answered in
one line (no draft to confirm), creating one through the tools and resuming the organisation's
paused system job are refused with that line, and nothing changes. Once the ATS is
disconnected, or for an organisation on the built-in ATS, they are drafted as before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.ats_sync import connect_source, disconnect_source
from models.store.automations import list_automations
from models.store.orgs import get_user
from models.store.system_jobs import ensure_system_jobs

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ASK = "every monday at 9 send me the renewal reminders"


@pytest.mark.parametrize("vendor", ["greenhouse", "lever"])
def test_renewal_reminders_are_refused_in_one_line_where_the_ats_is_mirrored(
    sqlite_engine: Engine, vendor: str
) -> None:
    engine = sqlite_engine
    org = make_org(engine, NOW)
    ensure_system_jobs(engine, NOW, org_id=org.org_id)
    admin = get_user(engine, org.admin_id)
    me = Actor(admin.org_id, admin.id or 0, admin.role, admin.email, None)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    assert tools.draft_automation(me, ASK).status == "ok"  # the built-in ATS has placements

    connect_source(
        engine,
        org_id=org.org_id,
        vendor=vendor,
        base_url="https://ats.example.com",
        api_key="key-0123456789abcdef",
        now=NOW,
    )
    before = list_automations(engine, org.org_id, system=None)
    line = (
        "Renewal reminders would always be empty here: they need contract end dates and offer "
        f"expiry dates, which {vendor.capitalize()} does not give skilltick."
    )
    draft = tools.draft_automation(me, ASK)
    assert (draft.id, draft.status, draft.question) == (None, "question", line)
    spec = AutomationSpec(name="Renewals", skill="renewal-reminders", cron="0 9 * * MON")
    with pytest.raises(InvalidInput) as made:
        tools.create_automation(me, spec)
    assert str(made.value) == line
    [system_job] = [a for a in before if a.skill == "renewal-reminders"]
    assert not system_job.enabled
    with pytest.raises(InvalidInput) as resumed:
        tools.resume(me, system_job.id or 0)
    assert str(resumed.value) == line
    after = list_automations(engine, org.org_id, system=None)
    assert [(a.id, a.enabled, a.updated_at) for a in after] == [
        (a.id, a.enabled, a.updated_at) for a in before
    ]
    # another report is drafted as ever
    assert tools.draft_automation(me, "every monday at 9 send me my pipeline").status == "ok"

    disconnect_source(engine, org_id=org.org_id, vendor=vendor)
    assert tools.draft_automation(me, ASK).status == "ok"
