"""A sentence the parser reads as nothing never becomes a request waiting for an answer, so
"it" after it still means the automation spoken about: generated unreadable sentences
(nonsense words, fragments, chatter, questions it cannot answer) between a change to an
automation and a follow-up about "it" leave the stored automations, the runs and the reply
to the follow-up exactly as without them. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
import re
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.conversation import ConversationEngine, Turn
from assistant.conversation.reply import Reply
from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user
from models.tables.runs import AutomationRun as Run

# follow-ups about "it": each verb the conversation has for one automation
FOLLOW_UPS = [
    "pause it",
    "pause it until monday",
    "turn it back on",
    "run it now",
    "move it to 10am",
    "add ada to it",
    "stop sending it to me",
    "rename it to Friday pipeline",
    "who gets it?",
    "when does it run next?",
    "undo",
    "delete it",
]
_SYLLABLES = ["blor", "zin", "qua", "dle", "mip", "tork", "vash", "eeb", "gron", "plo", "fex"]
_CHATTER = ["lol", "brb", "one sec", "oops", "ugh", "oh well", "whatever", "uh huh", "asdf"]
_FRAGMENT = ["and then the", "so about that", "the thing with the", "not sure", "quick one"]
_ASKED = ["what's the capital of", "how tall is", "who painted", "why is the sky over"]
_PLACES = ["France", "Peru", "the Mona Lisa", "Lake Geneva", "Mount Fuji"]


def unreadable(rng: random.Random) -> str:
    """A sentence with no automation in it: made-up words, chatter, a fragment, or a question
    about the world; none names a time, a skill, a person or an action."""
    kind = rng.randrange(4)
    if kind == 0:
        words = [
            "".join(rng.sample(_SYLLABLES, rng.randint(1, 3))) for _ in range(rng.randint(1, 4))
        ]
        return " ".join(words)
    if kind == 1:
        return " ".join(rng.sample(_CHATTER, rng.randint(1, 2)))
    if kind == 2:
        return f"{rng.choice(_FRAGMENT)} {rng.choice(_CHATTER)}".strip()
    return f"{rng.choice(_ASKED)} {rng.choice(_PLACES)}?"


class Talk:
    """One fresh organisation with two automations, its member speaking to the engine."""

    def __init__(self, conversation: ConversationEngine, engine: Engine, slug: str) -> None:
        self.conversation, self.engine, self.slug = conversation, engine, slug
        self.org = make_org(engine, NOW, slug=slug)
        weekly = make_automation(
            engine, self.org, NOW, name="Weekly pipeline report", skill="pipeline-report",
            channel="email", cron="0 9 * * 1",
        )  # fmt: skip
        digest = make_automation(
            engine, self.org, NOW, name="Daily hiring digest", skill="pipeline-report",
            channel="email", cron="30 8 * * 1-5", to=["me", self.org.admin_email],
        )  # fmt: skip
        self.ids = {weekly.id or 0: "A", digest.id or 0: "B"}
        self.actor = Actor.of(get_user(engine, self.org.member_id))

    def say(self, message: str) -> Reply:
        return self.conversation.handle(Turn(self.actor, "k", tz="Europe/London"), message)

    def plain(self, text: str) -> str:
        """`text` with what differs between organisations (ids, addresses) made alike."""
        text = re.sub(r"run #\d+", "run #N", text).replace(self.slug, "ORG")
        return re.sub(r"#(\d+)", lambda m: f"#{self.ids.get(int(m.group(1)), m.group(1))}", text)

    def stored(self) -> list[dict[str, Any]]:
        """The organisation's automations as stored, and how many runs each has."""
        with Session(self.engine) as s:
            runs = dict(
                s.exec(
                    select(Run.automation_id, func.count()).group_by(col(Run.automation_id))
                ).all()
            )
        shown = []
        for auto in list_automations(self.engine, self.org.org_id):
            row = auto.model_dump(exclude={"id", "org_id", "owner_id", "created_at", "updated_at"})
            row["runs"] = runs.get(auto.id or 0, 0)
            shown.append({k: self.plain(str(v)) for k, v in row.items()})
        return shown


def test_an_unreadable_sentence_leaves_it_meaning_the_automation_spoken_about(
    engine: Engine,
) -> None:
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    conversation = ConversationEngine(tools)
    rng = random.Random(10)
    for n, follow_up in enumerate(FOLLOW_UPS):
        junk = unreadable(rng)
        plain, interrupted = (
            Talk(conversation, engine, f"p{n}"),
            Talk(conversation, engine, f"j{n}"),
        )
        for talk in (plain, interrupted):
            digest = next(i for i, key in talk.ids.items() if key == "B")
            assert talk.say(f"move #{digest} to 7am").kind == "done"
        unread = interrupted.say(junk)
        # nothing waits for an answer to it: no question, no draft
        assert unread.kind in ("error", "info"), (junk, unread.text)
        assert interrupted.conversation.state(interrupted.actor, "k").get("pending") is None
        expected, got = plain.say(follow_up), interrupted.say(follow_up)
        context = (junk, follow_up, got.text)
        assert interrupted.plain(got.text) == plain.plain(expected.text), context
        assert got.kind == expected.kind, context
        assert interrupted.ids.get(got.automation_id or 0) == plain.ids.get(
            expected.automation_id or 0
        ), context
        assert interrupted.stored() == plain.stored(), context
