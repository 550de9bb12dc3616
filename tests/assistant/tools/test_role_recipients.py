"""A recipient role the skill fills for no run (a pipeline report's hiring manager: it is about
no one job) is refused when it is chosen, at every door, in one line, and nothing is made or
changed: every run of it would otherwise fail with no recipients. A role the skill fills is
accepted; the ground truth is each skill's own `roles`. An automation that already sends to such
a role keeps it through other changes (its runs say why nothing went)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_automation, make_org
from models.engine import make_engine
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import get_automation, list_automations
from models.store.orgs import get_user
from skills.builtin import default_registry
from skills.registry import ADDRESSEE_ROLES
from tests.assistant.http.service_harness import client, live_server, make_context
from tests.assistant.http.service_harness import make_org_with_tokens as org_with_tokens
from tests.assistant.mcp.test_mcp_server import call, server_for
from tests.cli_in_process import copy_migrated_database, run_skilltick

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SPECS = default_registry().specs()
# skills on a schedule that fill no role, and one that fills the hiring manager
SCHEDULED = ("pipeline-report", "sourcing-recap", "open-roles-report")
NO_MANAGER = (
    "A summary of your pipeline (pipeline-report) is not about one job, so no hiring manager can "
    "be found for it"
)


def test_a_role_is_accepted_exactly_when_the_skill_fills_it(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    me = Actor.of(get_user(sqlite_engine, org.admin_id))
    made = 0
    for skill in SCHEDULED:
        for role in ADDRESSEE_ROLES:
            spec = AutomationSpec(name=f"{skill} {role}", skill=skill, cron="0 9 * * 1", to=[role])
            if role in SPECS[skill].roles:
                tools.create_automation(me, spec)
                made += 1
                continue
            with pytest.raises(InvalidInput) as refused:
                tools.create_automation(me, spec)
            said = str(refused.value)
            assert "\n" not in said and f"no {role.replace('_', ' ')} can be found" in said
    assert made >= 1 and len(list_automations(sqlite_engine, org.org_id)) == made

    kept = make_automation(
        sqlite_engine, org, NOW, skill="pipeline-report", channel="email", to=["hiring_manager"]
    )
    renamed = tools.update_automation(me, kept.id or 0, {"name": "Renamed"})
    assert renamed.name == "Renamed" and renamed.to == ["hiring_manager"]
    with pytest.raises(InvalidInput, match="so no interviewer can be found"):
        tools.update_automation(me, kept.id or 0, {"to": ["me", "interviewer"]})


def test_rest_and_mcp_refuse_it_in_one_line(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    org = org_with_tokens(engine, NOW, slug="acme")
    body = {"name": "Weekly", "skill": "pipeline-report", "cron": "0 9 * * 1"}
    with live_server(make_context(engine, clock=lambda: NOW)) as url:
        with client(url, org.member_token) as c:
            refused = c.post("/api/automations", json={**body, "to": ["hiring_manager"]})
            assert refused.status_code == 422, refused.text
            said = refused.json()["error"]["message"]
            assert said.startswith(NO_MANAGER) and "\n" not in said
            made = c.post("/api/automations", json=body).json()
            patched = c.patch(f"/api/automations/{made['id']}", json={"to": ["hiring_manager"]})
            assert patched.status_code == 422 and patched.json()["error"]["message"] == said

    server = server_for(engine, org.fixture.member_id)
    fields = {"automation_id": made["id"], "fields": {"to": ["hiring_manager"]}}
    result = call(server, "update_automation", fields)
    assert result.is_error and said in result.content[0].text, result
    assert get_automation(engine, org.fixture.org_id, made["id"]).output_config["to"] == ["me"]


def test_the_command_line_refuses_it_in_one_line(tmp_path: Path) -> None:
    copy_migrated_database(tmp_path)
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    org = org_with_tokens(engine, NOW, slug="acme").fixture
    env = {"SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    created = run_skilltick(
        [
            *("automations", "create", "--org", "acme", "--user", org.member_email),
            *("--name", "Weekly", "--skill", "pipeline-report", "--cron", "0 9 * * 1"),
            *("--to", "hiring_manager"),
        ],
        env,
    )
    assert created.returncode == 1, created
    assert NO_MANAGER in created.stderr and len(created.stderr.strip().splitlines()) == 1
    assert list_automations(engine, org.org_id) == []
    engine.dispose()
