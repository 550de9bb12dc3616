"""The dashboard's request box talks to the conversation engine: a question, a short answer, a
change to the draft, the confirm button; then "pause it" in the same session."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from models.store.automations import list_automations
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.assistant.http.test_dashboard_pages import browser


def test_the_request_box_holds_a_conversation(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with live_server(make_context(sqlite_engine, clock=lambda: NOW)) as url:
        c, csrf = browser(url, org.member_token)

        def say(sentence: str) -> str:
            page = c.post("/automations/draft", data={"csrf": csrf, "sentence": sentence})
            assert page.status_code == 200
            return page.text

        assert "When should it run" in say("send me a summary of my pipeline")
        drafted = say("every weekday at 9am")
        assert "Confirm and activate" in drafted and "Monday through Friday" in drafted
        changed = say("make it 8am")
        assert "08:00 AM" in changed
        action = re.search(r'action="(/automations/draft/\d+/confirm)"', changed)
        assert action and list_automations(sqlite_engine, org.fixture.org_id) == []
        assert c.post(action.group(1), data={"csrf": csrf}).status_code == 303
        (auto,) = list_automations(sqlite_engine, org.fixture.org_id)
        assert auto.cron_expression == "0 8 * * 1-5" and auto.enabled
        # the confirm button settled the conversation: "it" is the new automation
        assert "Paused" in say("pause it")
        (auto,) = list_automations(sqlite_engine, org.fixture.org_id)
        assert not auto.enabled
        other, other_csrf = browser(url, org.admin_token)
        answer = other.post("/automations/draft", data={"csrf": other_csrf, "sentence": "yes"})
        assert "Nothing is waiting" in answer.text  # another session, another conversation
