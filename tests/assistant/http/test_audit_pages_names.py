"""The dashboard's history of changes names the automation each entry is about, and links to it;
one since deleted reads "(deleted)" and links to its own history, which its owner can still
open; its old page says it was deleted and links there. An id never used stays not found. An
event automation's page says it runs on each matching event, not "none scheduled"."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from assistant.cli.root import app
from assistant.tools.audit import automation_named
from assistant.tools.views import AutomationSpec
from models.store.orgs import get_user
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)


def _reminder(name: str) -> AutomationSpec:
    return AutomationSpec(
        name=name, skill="reminder", params={"message": "check offers"}, cron="0 9 * * 1"
    )


def _text(page: httpx.Response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.text))


def test_entries_name_their_automation_and_a_deleted_ones_history_stays_readable(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine, clock=lambda: NOW)
    member = org.actor(sqlite_engine)
    kept = ctx.tools.create_automation(member, _reminder("Chase offers")).id
    gone = ctx.tools.create_automation(member, _reminder("Old digest")).id
    ctx.tools.pause(member, gone)
    ctx.tools.delete(member, gone, confirm=True)
    # over the API too (the name now, null for the deleted one), as the CLI and MCP name it
    items = ctx.tools.list_audit(member).items
    assert {i.automation_id: i.automation_name for i in items} == {kept: "Chase offers", gone: None}
    assert {automation_named(i) for i in items} == {f"#{kept} “Chase offers”", f"#{gone} (deleted)"}
    url = sqlite_engine.url.render_as_string(hide_password=False)
    member_email = get_user(sqlite_engine, org.fixture.member_id).email
    listed = CliRunner().invoke(
        app, ["audit", "--org", "acme", "--user", member_email], env={"SKILLTICK_DATABASE_URL": url}
    )
    assert listed.exit_code == 0, listed.output
    assert f"created #{kept}" in listed.stdout and "· “Chase offers”" in listed.stdout
    assert f"deleted #{gone}" in listed.stdout and "· (deleted)" in listed.stdout

    on_event = AutomationSpec(
        name="Prep",
        skill="interview-prep",
        trigger_type="event",
        event_type="candidate.stage_changed",
        to=["me"],
    )
    evented = ctx.tools.create_automation(member, on_event).id
    with live_server(ctx) as url:
        for token, base in ((org.member_token, "/changes"), (org.admin_token, "/admin/audit")):
            with httpx.Client(base_url=url, timeout=30) as c:
                assert sign_in(c, token).status_code == 303
                listing = c.get(base)
                assert listing.status_code == 200
                assert f'<a href="/automations/{kept}">#{kept} “Chase offers”</a>' in listing.text
                link = f'href="{base}?automation={gone}"'
                assert link in listing.text and f"#{gone} (deleted)</a>" in listing.text
                history = c.get(f"{base}?automation={gone}")
                assert history.status_code == 200, history.text
                said = _text(history)
                heading = "History of changes" if base == "/changes" else "Audit log"
                assert f"{heading} of #{gone} (deleted)" in said
                assert f"deleted #{gone}" in said and f"paused #{gone}" in said
                assert f'href="/automations/{gone}"' not in history.text  # it has no page
                # its old page (linked from an email or a bookmark) points to its history
                old = c.get(f"/automations/{gone}")
                assert old.status_code == 404 and "was deleted" in old.text
                assert f'<a href="/changes?automation={gone}">' in old.text
                named = _text(c.get(f"{base}?automation={kept}"))
                assert f"{heading} of #{kept} “Chase offers”" in named
                assert c.get(f"{base}?automation={gone + 100}").status_code == 404
                page = " ".join(_text(c.get(f"/automations/{evented}")).split())
                assert "Next runson each matching event" in page  # <dt>, then <dd>
                assert "none scheduled" not in page
                never = c.get(f"/automations/{gone + 100}")
                assert never.status_code == 404 and "was deleted" not in never.text
