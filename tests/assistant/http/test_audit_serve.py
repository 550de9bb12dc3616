"""The audit log through what a user starts: `skilltick serve --demo` (REST and the admin's
dashboard page) and `skilltick mcp` over stdio as processes, and `skilltick audit`, read the
same entries, each naming who made the change through which door."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client, StdioServerParameters

from tests.assistant.cli.test_serve_public_url import _admin_link
from tests.assistant.serve_process import serve_demo
from tests.cli_in_process import run_skilltick
from tests.login import sign_in

REPO = Path(__file__).parents[3]


def _mcp_resume(home: Path, admin_email: str, automation_id: int) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "assistant", "mcp", "--org", "demo", "--user", admin_email],
        env={**os.environ, "SKILLTICK_HOME": str(home)},
        cwd=str(REPO),
    )

    async def session() -> dict[str, Any]:
        with anyio.fail_after(120):
            async with Client(params, read_timeout_seconds=60) as client:
                done = await client.call_tool("resume_automation", {"automation_id": automation_id})
                assert done.structured_content is not None
                return done.structured_content

    return anyio.run(session)


def test_rest_mcp_the_command_line_and_the_admin_page_read_who_changed_what(
    tmp_path: Path,
) -> None:
    with serve_demo(tmp_path) as served:
        found = _admin_link(served.output, served.process)
        admin_token = found.group(2)
        member = httpx.Client(
            base_url=served.base,
            headers={"Authorization": f"Bearer {served.token}"},
            timeout=60,
        )
        me = member.get("/api/me").json()
        mine = member.get("/api/automations").json()["items"]
        auto_id = next(a["id"] for a in mine if a["enabled"] and a["trigger_type"] == "cron")
        paused = member.post(f"/api/automations/{auto_id}/toggle", json={"enabled": False})
        assert paused.status_code == 200 and not paused.json()["enabled"]

        admin = httpx.Client(
            base_url=served.base, headers={"Authorization": f"Bearer {admin_token}"}, timeout=60
        )
        admin_email = admin.get("/api/me").json()["email"]
        assert _mcp_resume(tmp_path, admin_email, auto_id)["enabled"] is True

        seen = member.get("/api/audit", params={"automation": auto_id}).json()
        items = seen["items"]
        assert (items[0]["action"], items[1]["action"]) == ("resume", "pause")
        assert admin_email in items[0]["actor"] and me["email"] in items[1]["actor"]
        # a member reads their own automations' entries and their own actions; the admin reads
        # the organisation's
        theirs = member.get("/api/audit").json()["items"]
        ids = {a["id"] for a in mine}
        assert all(i["automation_id"] in ids or me["email"] in i["actor"] for i in theirs)
        everything = admin.get("/api/audit", params={"limit": 200}).json()["items"]
        assert {i["id"] for i in seen["items"]} <= {i["id"] for i in everything}
        assert member.get("/api/audit", params={"cursor": 0}).status_code == 422

        # `skilltick audit` through its entry point in this process (the served process and
        # the MCP one are the real processes here)
        home = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "300"}
        by_automation = ["audit", "--org", "demo", "--automation", str(auto_id)]
        listed = run_skilltick([*by_automation, "--json"], home)
        assert listed.returncode == 0, listed.stderr
        assert [i["id"] for i in json.loads(listed.stdout)["items"]] == [
            i["id"] for i in seen["items"]
        ]
        said = run_skilltick(by_automation, home)
        assert f"resumed #{auto_id}" in said.stdout and f"paused #{auto_id}" in said.stdout

        with httpx.Client(base_url=served.base, timeout=60) as browser:
            assert sign_in(browser, admin_token).status_code == 303
            page = browser.get("/admin/audit", params={"automation": auto_id})
            assert page.status_code == 200 and f"resumed #{auto_id}" in page.text
            assert admin_email in page.text
        with httpx.Client(base_url=served.base, timeout=60) as browser:
            assert sign_in(browser, served.token).status_code == 303
            assert browser.get("/admin/audit").status_code == 403
