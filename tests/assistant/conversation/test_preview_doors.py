"""A preview reaches the asker the same way at the other doors that talk: MCP's `chat` tool
returns it marked private (live data for this user only) and takes the schedule said next as
the previewed report's; the dashboard's request box shows it, then drafts it from "every
Monday at 9am"."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.assistant.http.test_dashboard_pages import browser
from tests.assistant.mcp.test_mcp_plain import server_for, session

OFFER = "Want this every week? Say “every Monday at 9am”."


def test_the_mcp_chat_tool_returns_a_preview_marked_private(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    said = [
        ("chat", {"message": message, "conversation": "p"})
        for message in ("show me my pipeline now", "every Monday at 9am")
    ]
    shown, drafted = (
        r.structured_content["reply"]
        for r in session(server_for(sqlite_engine, org.fixture.member_id), *said)
    )
    assert (shown["kind"], shown["private"]) == ("info", True)
    assert shown["data"]["skill"] == "pipeline-report" and shown["text"].endswith(OFFER)
    assert (drafted["kind"], drafted["private"]) == ("draft", False)
    assert drafted["data"]["skill"] == "pipeline-report"


def test_the_dashboard_box_shows_a_preview_then_drafts_it(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with live_server(make_context(sqlite_engine, clock=lambda: NOW)) as url:
        c, csrf = browser(url, org.member_token)

        def say(sentence: str) -> Any:
            page = c.post("/automations/draft", data={"csrf": csrf, "sentence": sentence})
            assert page.status_code == 200
            return page.text

        shown = say("what does my pipeline look like?")
        assert "for you only; nothing was sent or saved" in shown and "Pipeline report" in shown
        assert "Confirm and activate" in say("every Monday at 9am")
