"""A draft offers to be activated only when it can be as it is: one whose output cannot deliver
here says what to change and offers no Activate button (in the reply's choices, its JSON and
its Slack buttons); once changed, it does again."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Reply, Turn
from assistant.slack.blocks import reply_blocks
from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.conversations import get_draft
from models.store.orgs import get_user


def _says(reply: Reply) -> list[str]:
    return [choice.say for choice in reply.choices]


def _buttons(reply: Reply) -> list[str]:
    blocks = reply_blocks(reply) or []
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_draft_slack_cannot_deliver_offers_no_activate_until_changed(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    conversation = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    turn = Turn(Actor.of(get_user(engine, org.member_id)), "k", tz="UTC")

    refused = conversation.handle(turn, "every weekday at 8:30 post my pipeline in #hiring")
    assert refused.kind == "draft" and "cannot be activated" in refused.text
    assert _says(refused) == ["cancel"]
    assert refused.data["can_activate"] is False
    assert "draft_activate" not in _buttons(refused) and "draft_edit" in _buttons(refused)
    # shown again while it waits: still no Activate
    shown = conversation.handle(turn, "show it")
    assert shown.kind == "draft" and _says(shown) == ["cancel"], shown.text

    changed = conversation.handle(turn, "email instead")
    assert changed.kind == "draft" and "Confirm to activate?" in changed.text
    assert _says(changed) == ["yes", "cancel"]
    assert "draft_activate" in _buttons(changed)
    assert changed.draft_id is not None
    assert get_draft(engine, org.org_id, changed.draft_id).draft["can_activate"] is True
