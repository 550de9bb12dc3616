"""Changing what a saved automation does, through the conversation engine on both stores: the
number a request set is kept and said back, "make it 3 days" changes it (the reply says the new
value, the audit log names it from → to, "undo" takes it back), every hint offered after an
unclear change works when said back, an event automation takes another stage, "what does it
check?" and "when does it come back?" are answered; and once in the real `skilltick chat`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from models.store.audit import list_entries
from models.store.automations import get_automation, list_automations
from tests.assistant.conversation.member_chat import MemberChat
from tests.chat_process import chat_home, chat_replies

SLA = "every day check for candidates stuck in screening for more than 5 business days and tell me"
PREP = "when a candidate moves to interview, send them the prep pack"


def _stored(chat: MemberChat, automation_id: int) -> dict[str, Any]:
    row = get_automation(chat.engine, chat.org.org_id, automation_id)
    return {
        "params": row.params,
        "event_filter": row.event_filter,
        "cron": row.cron_expression,
        "name": row.name,
        "to": row.output_config,
    }


def _made(chat: MemberChat, request: str) -> int:
    draft = chat.say(request)
    assert draft.kind == "draft", draft.text
    done = chat.say("yes")
    assert done.kind == "done" and done.automation_id, done.text
    return done.automation_id


def _hints_each_change_it(chat: MemberChat, automation_id: int) -> None:
    unclear = chat.say("make it nicer")
    assert unclear.kind == "error" and "couldn't tell what to change" in unclear.text
    for hint in re.findall(r"“([^”]+)”", unclear.text):
        before = _stored(chat, automation_id)
        reply = chat.say(hint)
        assert reply.kind == "done", (hint, reply.text)
        assert _stored(chat, automation_id) != before, hint
        assert chat.say("undo").kind == "done"
        assert _stored(chat, automation_id) == before, hint


def test_a_checks_days_are_kept_said_changed_audited_and_undone(engine: Engine) -> None:
    chat = MemberChat(engine, tz="Europe/London")
    draft = chat.say(SLA)
    assert "flagging candidates waiting 5 business days or more" in draft.text, draft.text
    auto_id = _made(chat, SLA)
    stored = get_automation(engine, chat.org.org_id, auto_id)
    assert stored.params["business_days"] == 5 and stored.params["stage"] == "Screen"
    assert stored.name == "Stale candidate SLA, daily 9:00"
    checks = chat.say("what does it check?")
    assert checks.kind == "info" and "waiting 5 business days" in checks.text, checks.text

    changed = chat.say("make it 3 days")
    assert changed.kind == "done", changed.text
    assert "Now flagging candidates waiting 3 business days or more." in changed.text
    assert _stored(chat, auto_id)["params"]["business_days"] == 3
    newest = list_entries(engine, chat.org.org_id, automation_id=auto_id, limit=1)[0].entry
    assert newest.changes["params"]["keys"] == {"business_days": {"old": 5, "new": 3}}
    audit = chat.say("what changed on it?")
    assert "settings changed (business days 5 → 3)" in audit.text, audit.text
    assert chat.say("undo").kind == "done"
    assert _stored(chat, auto_id)["params"]["business_days"] == 5

    stage = chat.say("only those in interview")
    assert stage.kind == "done" and "Now only those in Interview" in stage.text, stage.text
    _hints_each_change_it(chat, auto_id)


def test_a_draft_takes_param_changes_before_it_is_confirmed(engine: Engine) -> None:
    chat = MemberChat(engine, tz="Europe/London")
    chat.say(SLA)
    days = chat.say("make it 3 days")
    assert days.kind == "draft" and "waiting 3 business days" in days.text, days.text
    stage = chat.say("only those in interview")
    assert stage.kind == "draft" and "only those in Interview" in stage.text, stage.text
    done = chat.say("yes")
    assert done.kind == "done" and done.automation_id, done.text
    params = _stored(chat, done.automation_id)["params"]
    assert (params["business_days"], params["stage"]) == (3, "Interview")


def test_an_event_automation_takes_another_stage_and_its_hints_work(engine: Engine) -> None:
    chat = MemberChat(engine, tz="Europe/London")
    auto_id = _made(chat, PREP)
    also = chat.say("also when they reach offer")
    assert also.kind == "done", also.text
    stored = _stored(chat, auto_id)
    assert stored["event_filter"] == {"to_stage": ["Interview", "Offer"]}
    assert stored["name"] == "Interview prep: when a candidate moves to Interview or Offer"
    assert chat.say("not for offer anymore").kind == "done"
    assert _stored(chat, auto_id)["event_filter"] == {"to_stage": "Interview"}
    timed = chat.say("move it to 8am")
    assert timed.kind == "error" and timed.text.startswith("It runs on events")
    _hints_each_change_it(chat, auto_id)

    paused = chat.say("pause it for two weeks")
    assert paused.kind == "done", paused.text
    back = chat.say("when does it come back?")
    assert "resumes by itself" in back.text and "GMT" in back.text, back.text


def test_the_chat_process_changes_a_checks_days(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    user = ["--org", "acme", "--user", org.member_email, "--tz", "Europe/London"]
    said = [SLA, "yes", "make it 3 days", "what does it do?"]
    replies = chat_replies(env, NOW, user, said)
    assert [r["kind"] for r in replies] == ["draft", "done", "done", "info"], replies
    assert "waiting 3 business days" in replies[3]["text"]
    (made,) = list_automations(engine, org.org_id)
    assert made.params["business_days"] == 3
    engine.dispose()
