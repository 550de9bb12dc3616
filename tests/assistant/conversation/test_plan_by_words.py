"""The organisation's plan by words, through the real engine on both stores: an admin's change in
any of the usual shapes lands on the plan it names (read back from the store), a member's is
refused and changes nothing, an unknown plan names the choices and changes nothing, and "what
plan are we on?" answers with the plan the store holds and what it allows."""

from __future__ import annotations

import itertools

from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.store.orgs import get_org
from tests.assistant.conversation.member_chat import Chat

CHANGES = (
    "set the plan to {p}",
    "change our plan to the {p} plan",
    "upgrade us to {p}",
    "downgrade to {p}",
    "switch the organisation to {p}",
    "please move the account onto the {p} plan",
    "can you put us on {p}",
)
QUESTIONS = ("what plan are we on?", "which plan are we on", "what's our plan?",
             "what are our limits?", "What plan do we have?")  # fmt: skip


def test_admins_change_the_plan_in_words_and_members_cannot(engine: Engine) -> None:
    org = make_org(engine, NOW, plan="free")
    for n in range(7):
        make_automation(engine, org, NOW, name=f"Report {n}")
    admin, member = Chat(engine, org.admin_id), Chat(engine, org.member_id, key="m")
    for shape, plan in itertools.product(CHANGES, ("pro", "enterprise", "free")):
        before = get_org(engine, org.org_id).plan
        reply = admin.say(shape.format(p=plan))
        assert get_org(engine, org.org_id).plan == plan, shape
        assert f"the {plan} plan" in reply.text, reply.text
        if before != plan and plan == "free":
            # seven active against the free plan's five: they keep running, and it says so
            assert "7 automations are active, more than its 5" in reply.text, reply.text
        refused = member.say(shape.format(p="enterprise" if plan != "enterprise" else "pro"))
        assert refused.kind == "error" and "Only admins" in refused.text
        assert get_org(engine, org.org_id).plan == plan
    unknown = admin.say("set the plan to gold")
    assert unknown.kind == "error" and "free, pro, enterprise" in unknown.text
    assert get_org(engine, org.org_id).plan == "free"


def test_the_plan_question_answers_with_the_stored_plan(engine: Engine) -> None:
    org = make_org(engine, NOW, plan="pro")
    make_automation(engine, org, NOW)
    for user_id in (org.admin_id, org.member_id):
        chat = Chat(engine, user_id)
        for question in QUESTIONS:
            reply = chat.say(question)
            assert reply.text.startswith("The organisation is on the pro plan"), question
            assert "1 automation is active" in reply.text


def test_a_smaller_plan_names_what_runs_more_often_than_it_allows(engine: Engine) -> None:
    org = make_org(engine, NOW, plan="pro")
    make_automation(engine, org, NOW, name="Daily")
    fast = make_automation(engine, org, NOW, cron="*/5 * * * *", name="Every five minutes")
    admin = Chat(engine, org.admin_id)
    reply = admin.say("downgrade to free")
    assert reply.text.startswith("The organisation is now on the free plan (was pro)")
    # the free plan's once a day is not what this one does: the reply names it, with the truth
    assert (
        f"1 active automation runs more often than once a day (#{fast.id} “Every five "
        "minutes”): it keeps its schedule until it is changed"
    ) in reply.text, reply.text
    assert "Daily" not in reply.text
    asked = Chat(engine, org.member_id, key="m").say("what plan are we on?")
    assert f"#{fast.id} “Every five minutes”" in asked.text and "2 automations are active" in (
        asked.text
    )
