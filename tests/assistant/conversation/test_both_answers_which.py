"""“Both” answering “which one?”: when a request names several automations alike ("pause my
pipeline report" with two of them), the question offers “both” (or “all of them”), and that
answer does the action to every candidate; one “undo” takes it all back. Generated over how
many match, the ways of saying it and the actions; a deletion is still one at a time."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import Chat

SAID = ("both", "both of them", "all of them", "ok, all of them", "them all please", "each of them")


@pytest.mark.parametrize("count", [2, 3])
def test_every_candidate_is_acted_on(sqlite_engine: Engine, count: int) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    ids = [
        make_automation(
            sqlite_engine, org, NOW, skill="pipeline-report", name=f"Pipeline report {n}"
        ).id
        or 0
        for n in range(count)
    ]
    every = "both" if count == 2 else "all of them"

    def enabled() -> set[bool]:
        return {get_automation(sqlite_engine, org.org_id, n).enabled for n in ids}

    for n, (said, action) in enumerate(itertools.product(SAID, ("pause", "edit"))):
        chat = Chat(sqlite_engine, org.member_id, key=f"{count}-{n}")
        asked = chat.say(
            "pause my pipeline report" if action == "pause" else "move my pipeline report to 7am"
        )
        assert asked.kind == "choose", asked.text
        assert f"“{every}”" in asked.text and every in [c.say for c in asked.choices], asked.text
        reply = chat.say(said)
        assert reply.kind == "done", (said, reply.text)
        if action == "pause":
            assert enabled() == {False}, said
            assert reply.text.endswith("Say “resume them” to start them again."), reply.text
        else:
            crons = {get_automation(sqlite_engine, org.org_id, i).cron_expression for i in ids}
            assert crons == {"0 7 * * *"}, (said, crons)
        undone = chat.say("undo")
        assert undone.kind == "done", undone.text
        assert enabled() == {True}
        crons = {get_automation(sqlite_engine, org.org_id, i).cron_expression for i in ids}
        assert crons == {"0 9 * * *"}, (said, undone.text)
    # a deletion is picked one at a time: the question still waits
    chat = Chat(sqlite_engine, org.member_id, key="delete")
    asked = chat.say("delete my pipeline report")
    assert asked.kind == "choose" and every not in [c.say for c in asked.choices], asked.text
    refused = chat.say(every)
    assert refused.kind == "error" and "one at a time" in refused.text, refused.text
    assert chat.pending()["kind"] == "choose"
    assert all(get_automation(sqlite_engine, org.org_id, n) for n in ids)
