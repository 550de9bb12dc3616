"""Questions about the plan and what was used of it, answered from what is stored, generated:
runs with random token counts made for a member's and an admin's automations, this month and
the month before, and a month's run counter; the answers carry the sums of what was made (a
member's own runs, an admin's the organisation's), the room the plan leaves, and never a price
(none is stored). A question never drafts anything, even while a draft waits."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.tables.runs import AutomationRun, RunCounter
from tests.assistant.conversation.member_chat import Chat

COST = (
    "what did that cost me this month?",
    "how much did it cost?",
    "how many tokens have we used this month?",
    "what is our llm usage?",
    "how much have we spent this month?",
)
ROOM = (
    "how many automations do I have left on my plan?",
    "how many more automations can we create?",
    "are we at our plan limit?",
)
RUNS = ("how many runs have we used this month?", "how many runs are left this month?")


def test_plan_and_usage_questions_answer_what_is_stored(engine: Engine) -> None:
    rng = random.Random(12)
    org = make_org(engine, NOW, slug="acme", plan="free")
    owners = {"member": org.member_id, "admin": org.admin_id}
    autos = {who: make_automation(engine, org, NOW, owner_id=uid) for who, uid in owners.items()}
    sums = {
        who: {"llm_runs": 0, "runs": 0, "input_tokens": 0, "output_tokens": 0} for who in owners
    }
    month_start = NOW.replace(day=1, hour=0)
    with Session(engine) as s:
        for n in range(40):
            who = rng.choice(list(owners))
            this_month = rng.random() < 0.7
            when = (
                month_start + timedelta(hours=n)
                if this_month
                else month_start - timedelta(hours=n + 1)
            )
            llm = rng.random() < 0.5
            tokens = (rng.randint(100, 5000), rng.randint(10, 900)) if llm else (0, 0)
            s.add(
                AutomationRun(
                    org_id=org.org_id,
                    automation_id=autos[who].id or 0,
                    triggered_by="schedule",
                    scheduled_for=when,
                    not_before=when,
                    status="completed",
                    created_at=when,
                    llm_input_tokens=tokens[0],
                    llm_output_tokens=tokens[1],
                )
            )
            if this_month:
                sums[who]["runs"] += 1
                sums[who]["llm_runs"] += llm
                sums[who]["input_tokens"] += tokens[0]
                sums[who]["output_tokens"] += tokens[1]
        s.add(RunCounter(org_id=org.org_id, month=NOW.strftime("%Y-%m"), logged=37, unlogged=0))
        s.commit()
    member = Chat(engine, org.member_id, key="usage")
    admin = Chat(engine, org.admin_id, key="usage")
    waiting = member.say("every Monday at 9am send me the pipeline report")
    assert waiting.kind == "draft"
    org_sums = {k: sums["member"][k] + sums["admin"][k] for k in sums["member"]}
    for chat, wanted in ((member, sums["member"]), (admin, org_sums)):
        for asked in COST:
            reply = chat.say(asked)
            assert reply.kind == "info", (asked, reply.text)
            assert isinstance(reply.data, dict)
            assert {k: reply.data[k] for k in wanted} == wanted, asked
            assert reply.text.startswith("No price is recorded"), reply.text
            assert f"{wanted['input_tokens']:,} input" in reply.text, reply.text
        for asked in ROOM:
            reply = chat.say(asked)
            assert isinstance(reply.data, dict), (asked, reply.text)
            assert (reply.data["active"], reply.data["left"]) == (2, 3), asked
            assert "so 3 more can be activated" in reply.text
        for asked in RUNS:
            reply = chat.say(asked)
            assert "run 37 times" in reply.text, (asked, reply.text)
        assert "free plan" in chat.say("what plan are we on?").text
    named = member.say(f"what did #{autos['member'].id} cost this month?")
    assert isinstance(named.data, dict) and named.data["runs"] == sums["member"]["runs"]
    assert member.say(f"what did #{autos['admin'].id} cost?").kind == "error"  # not theirs
    assert member.pending().get("draft_id") == waiting.draft_id
