"""While a request waits (for an answer, or as a draft for "yes"), "it" means whatever was
spoken about last: after "pause #N" or "show #N", "resume it" / "who else gets it?" act on #N
and the waiting request still waits; once a detail answers the waiting request, "it" means
that request again."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.reply import Reply
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import Chat

# a request that waits for an answer, one that waits as a draft; and a detail of each
WAITING = {
    "question": ("remind me to call Priya", "friday at 10am"),
    "draft": ("every monday at 9am send me a summary of my pipeline", "make it 10am"),
}
SPOKEN = ["pause #{id}", "show #{id}", "when does #{id} run next?"]
FOLLOW_UPS = ["resume it", "who else gets it?", "show it", "when does it run next?", "pause it"]


def _waiting(chat: Chat) -> dict[str, Any]:
    return chat.pending()


@pytest.mark.parametrize("kind", sorted(WAITING))
def test_it_follows_what_was_spoken_about_last(sqlite_engine: Engine, kind: str) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    stored = make_automation(sqlite_engine, org, NOW, name="Digest").id or 0
    request, detail = WAITING[kind]
    for n, (spoken, follow_up) in enumerate(itertools.product(SPOKEN, FOLLOW_UPS)):
        chat = Chat(sqlite_engine, org.member_id, key=f"{kind}-{n}")
        first = chat.say(request)
        assert first.kind == ("question" if kind == "question" else "draft"), first.text
        waiting = _waiting(chat)
        chat.say(spoken.format(id=stored))
        reply: Reply = chat.say(follow_up)
        assert reply.kind != "error" and reply.automation_id == stored, (spoken, follow_up, reply)
        assert _waiting(chat) == waiting, (spoken, follow_up)
        expected = {"resume it": True, "pause it": False}.get(follow_up, spoken != "pause #{id}")
        assert get_automation(sqlite_engine, org.org_id, stored).enabled is expected, follow_up
        chat.say(f"resume #{stored}")
        # a detail answers the waiting request: "it" is that request again
        amended = chat.say(detail)
        assert amended.kind == "draft", amended.text
        again = chat.say("show it")
        assert again.automation_id is None and again.draft_id == amended.draft_id, again.text
