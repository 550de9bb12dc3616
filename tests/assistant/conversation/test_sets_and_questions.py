""" "them", "those" and "all of them" after a listing or a bulk pause mean that set; questions
the conversation cannot answer say so (never "what to automate") and offer ones it can; "who
has the most automations?" is answered; "give sam access" says how access is given. Through
the real conversation engine, on both databases."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.conversation.unanswered import is_question
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import OrgFixture, make_automation, make_org
from models.store.automations import list_automations
from models.store.orgs import create_user
from models.tables.runs import AutomationRun
from tests.assistant.conversation.test_questions import Chat, ids

PLURALS = ["them", "those", "all of them", "these", "both of them", "all those"]
VERBS = {
    "pause": ["pause {}", "turn off {}", "disable {}"],
    "resume": ["resume {}", "turn on {}", "unpause {}"],
    "delete": ["delete {}", "remove {}"],
}
SHOWN_BY = ["bulk", "list", "list paused"]


def _world(engine: Engine, slug: str = "acme") -> tuple[OrgFixture, dict[str, int]]:
    """Dana (a member) with three automations, one of them paused; the admin with one."""
    org = make_org(engine, NOW - timedelta(days=30), slug=slug)
    dana = create_user(engine, org_id=org.org_id, email=f"dana@{slug}.test", name="Dana R", now=NOW)
    made = {
        name: make_automation(engine, org, NOW, name=name, owner_id=dana.id, enabled=enabled).id
        or 0
        for name, enabled in (("Digest", True), ("Recap", True), ("Old alert", False))
    }
    made["Admin's"] = (
        make_automation(engine, org, NOW, name="Admin's", owner_id=org.admin_id).id or 0
    )
    return org, made


def _enabled(engine: Engine, org_id: int) -> dict[int, bool]:
    return {a.id or 0: a.enabled for a in list_automations(engine, org_id, system=None)}


@pytest.mark.parametrize("shown_by", SHOWN_BY)
@pytest.mark.parametrize("verb", sorted(VERBS))
def test_them_after_a_listing_or_bulk_action_means_that_set(
    engine: Engine, shown_by: str, verb: str
) -> None:
    for world, (template, plural) in enumerate((t, p) for t in VERBS[verb] for p in PLURALS):
        org, made = _world(engine, f"acme{world}")
        dana = [made["Digest"], made["Recap"], made["Old alert"]]
        chat = Chat(engine, org, org.admin_id)
        before = _enabled(engine, org.org_id)
        if shown_by == "bulk":
            assert chat.say("pause all of dana's automations").kind == "confirm"
            chat.say("yes")
            shown = [n for n in dana if before[n]]  # the bulk paused the active ones
        else:
            shown = ids(chat.say(shown_by).data)
        assert chat.state()["listed"] == shown
        now = _enabled(engine, org.org_id)
        system = {a.id for a in list_automations(engine, org.org_id, system=True)}
        wanted = [
            n
            for n in shown
            if n not in system and (verb == "delete" or now[n] == (verb == "pause"))
        ]
        reply = chat.say(template.format(plural))
        said = template.format(plural)
        if not wanted:
            assert reply.kind == "info" and "nothing to" in reply.text, (said, reply.text)
            assert _enabled(engine, org.org_id) == now
            continue
        assert reply.kind == "confirm", (said, reply.text)
        assert ids(reply.data) == wanted and "“yes”" in reply.text
        assert _enabled(engine, org.org_id) == now  # nothing before "yes"
        done = chat.say("yes")
        assert done.kind == "done" and ids(done.data) == wanted, (said, done.text)
        after = _enabled(engine, org.org_id)
        if verb == "delete":
            assert not set(wanted) & set(after)
            continue
        assert all(after[n] == (verb == "resume") for n in wanted)
        assert {n: after[n] for n in after if n not in wanted} == {
            n: now[n] for n in now if n not in wanted
        }


def test_them_after_a_runs_listing_means_the_automations_of_those_runs(engine: Engine) -> None:
    org, made = _world(engine)
    with Session(engine) as s:
        for name, status in (("Digest", "failed"), ("Recap", "completed"), ("Admin's", "failed")):
            when = NOW - timedelta(hours=2)
            s.add(
                AutomationRun(
                    org_id=org.org_id,
                    automation_id=made[name],
                    triggered_by="schedule",
                    scheduled_for=when,
                    not_before=when,
                    status=status,
                    created_at=when,
                )
            )
        s.commit()
    chat = Chat(engine, org, org.admin_id)
    assert chat.say("what failed today?").kind == "list"
    asked = chat.say("pause them")
    assert asked.kind == "confirm" and ids(asked.data) == [made["Admin's"], made["Digest"]]
    chat.say("yes")
    after = _enabled(engine, org.org_id)
    assert not after[made["Digest"]] and not after[made["Admin's"]] and after[made["Recap"]]


def test_no_to_a_set_change_leaves_them(engine: Engine) -> None:
    org, _ = _world(engine)
    chat = Chat(engine, org, org.admin_id)
    chat.say("list")
    before = _enabled(engine, org.org_id)
    assert chat.say("pause all of them").kind == "confirm"
    assert chat.say("no").text == "OK, nothing changed."
    assert _enabled(engine, org.org_id) == before
    assert chat.say("yes").kind == "error"  # nothing waits any more


def test_them_with_no_set_shown_asks_which(engine: Engine) -> None:
    org, _ = _world(engine)
    make_automation(engine, org, NOW, name="Second of the admin's", owner_id=org.admin_id)
    chat = Chat(engine, org, org.admin_id)
    reply = chat.say("resume them")
    assert reply.kind == "choose" and "Which automation" in reply.text


def test_a_member_changes_only_their_own_set(engine: Engine) -> None:
    org, made = _world(engine)
    chat = Chat(engine, org, org.member_id)
    mine = [make_automation(engine, org, NOW, name=f"Mine {i}").id for i in range(2)]
    assert ids(chat.say("list").data) == mine
    assert ids(chat.say("pause them").data) == mine
    chat.say("yes")
    after = _enabled(engine, org.org_id)
    assert [after[n or 0] for n in mine] == [False, False]
    assert all(after[made[n]] == e for n, e in (("Digest", True), ("Admin's", True)))


QUESTIONS = [
    "who has the most automations?",
    "what is the weather like?",
    "how do I export my data?",
    "why is the sky blue?",
    "which recruiter hired the most?",
    "can pigs fly?",
    "is the moon made of cheese?",
    "does anyone read these?",
    "did the team meet the target?",
    "where is the office?",
    "how many candidates did we hire last quarter?",
    "so what's the point?",
    "what's the best channel to get it?",
    "who gets the most e-mails?",
    "tell me a joke?",
    "when is lunch?",
]


@pytest.mark.parametrize("role", ["admin", "member"])
def test_no_question_gets_the_what_to_automate_fallback(engine: Engine, role: str) -> None:
    org, _ = _world(engine)
    chat = Chat(engine, org, org.admin_id if role == "admin" else org.member_id)
    make_automation(engine, org, NOW, name="Own", owner_id=chat.actor.user_id)
    owned = list_automations(engine, org.org_id, owner_id=chat.actor.user_id)
    for question in QUESTIONS:
        reply = chat.say(question)
        assert "what to automate" not in reply.text, (question, reply.text)
        assert reply.kind != "question" and chat.state().get("pending") is None, question
        if reply.text.startswith("I can't answer that yet."):
            offered = reply.text.count("“") - 1  # the last quote is "help"
            assert 3 <= offered <= 4, reply.text
            named = set(re.findall(r"#(\d+)", reply.text))
            assert named <= {str(a.id) for a in owned}, reply.text
    # the same words said as a request still get the parser's own answer
    assert "what to automate" in chat.say("the weather like").text


def test_a_question_while_a_question_waits_keeps_the_request(engine: Engine) -> None:
    org, _ = _world(engine)
    chat = Chat(engine, org, org.member_id)
    asked = chat.say("send me a summary of my pipeline")
    assert asked.kind == "question"
    reply = chat.say("how do I export my data?")
    assert reply.text.startswith("I can't answer that yet."), reply.text
    assert (chat.state().get("pending") or {}).get("kind") == "question"
    assert chat.say("every monday at 9am").kind == "draft"


def test_suggestions_follow_the_words_used(engine: Engine) -> None:
    org, _ = _world(engine)
    chat = Chat(engine, org, org.member_id)
    own = make_automation(engine, org, NOW, name="Own").id
    runs = chat.say("how do runs get retried when they error?").text
    assert "“how many runs failed last week?”" in runs and "“what ran today?”" in runs
    recipients = chat.say("who decides the recipients?").text
    assert f"“who gets #{own}?”" in recipients


@pytest.mark.parametrize(
    "asked", ["who has the most automations?", "who has the fewest automations?",
              "how many automations does each person have?"]
)  # fmt: skip
def test_who_has_the_most_automations_counts_per_owner(engine: Engine, asked: str) -> None:
    org, _ = _world(engine)
    admin = Chat(engine, org, org.admin_id)
    reply = admin.say(asked)
    counts = {row["owner_email"]: row["automations"] for row in reply.data}
    owners = [a.owner_id for a in list_automations(engine, org.org_id) if not a.system]
    assert counts["dana@acme.test"] == 3 and sum(counts.values()) == len(owners)
    first = reply.text.splitlines()[0]
    if "fewest" in asked:
        assert min(counts.values()) == 0 and first.startswith("Fewest:")
    else:
        assert first.startswith("Most: dana@acme.test (3).")
    member = Chat(engine, org, org.member_id)
    assert member.say(asked).text == "Only admins see everyone's automations; you have 0."


@pytest.mark.parametrize(
    "said",
    ["give sam access to the dashboard", "give sam a login", "can you invite sam to skilltick?",
     "let sam see the dashboard", "add sam to the team"],
)  # fmt: skip
def test_access_is_described_never_promised(engine: Engine, said: str) -> None:
    org, _ = _world(engine)
    create_user(engine, org_id=org.org_id, email="sam.sourcer@acme.test", name="Sam S", now=NOW)
    admin = Chat(engine, org, org.admin_id)
    before = _enabled(engine, org.org_id)
    known = admin.say(said)
    assert known.text.startswith("I can't give access from the chat."), known.text
    assert "sam.sourcer@acme.test is already a member of 'acme'" in known.text
    assert "skilltick tokens create --org acme --user sam.sourcer@acme.test" in known.text
    stranger = admin.say(said.replace("sam", "zoe"))
    assert "“zoe” is not a user of 'acme'" in stranger.text
    assert "skilltick users invite EMAIL --org acme" in stranger.text
    member = Chat(engine, org, org.member_id).say(said)
    assert "only admins add people" in member.text and "ask admin@acme.test" in member.text
    assert admin.state().get("pending") is None
    assert _enabled(engine, org.org_id) == before


STARTERS = ["what", "which", "who", "why", "how", "where", "how many", "when", "whose",
            "do", "does", "did", "can", "is", "are", "could", "so what", "has"]  # fmt: skip
BODIES = ["the sky blue", "people like the new office", "recruiters hire in winter",
          "the quarter end", "sam think of it"]  # fmt: skip


def test_property_no_question_shaped_message_gets_the_what_to_automate_fallback(
    engine: Engine,
) -> None:
    """Every starter of a question with every body, with and without "?", and every body
    with only a "?", one after another (a question the parser asks back waits meanwhile):
    never the fallback."""
    org, _ = _world(engine)
    chat = Chat(engine, org, org.member_id)
    shaped = [f"{s} {b}{mark}" for s in STARTERS for b in BODIES for mark in ("?", "")]
    shaped = [m for m in shaped if m.endswith("?") or not m.startswith("when ")]
    shaped += [f"{b}?" for b in BODIES]
    for said in shaped:
        assert is_question(said), said
        reply = chat.say(said)
        assert "what to automate" not in reply.text, (said, reply.text)
