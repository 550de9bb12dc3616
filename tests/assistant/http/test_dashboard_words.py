"""The dashboard's automation page says what the automation does in words, as its read-back
did: the params as its skill declares they read, the output to whom (its owner's address when
someone else looks)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.store.run_queue import db_now
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def facts(url: str, token: str, automation_id: int) -> dict[str, str]:
    """The page's facts list, as text: {"Action": ..., "Output": ...}."""
    with httpx.Client(base_url=url, timeout=30) as c:
        assert sign_in(c, token).status_code == 303
        page = c.get(f"/automations/{automation_id}").text
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page)
    return {key: html.unescape(re.sub(r"<[^>]+>", "", value)) for key, value in pairs}


def test_the_automation_page_says_its_settings_in_words(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    auto = make_automation(
        sqlite_engine,
        org.fixture,
        db_now(sqlite_engine),
        skill="new-candidate-alert",
        channel="email",
        to=["me", "hiring_manager"],
        params={"jobs": ["Data Engineer", "Designer"], "high_priority_only": True},
    )
    with live_server(make_context(sqlite_engine)) as url:
        mine = facts(url, org.member_token, auto.id or 0)
        theirs = facts(url, org.admin_token, auto.id or 0)
    assert mine["Action"] == (
        "an alert about new candidates, for Data Engineer and Designer, "
        "high-priority applicants only"
    )
    assert mine["Output"] == "email to you and the job's hiring manager"
    assert theirs["Output"] == "email to member@acme.test and the job's hiring manager"
