"""Asked in chat, "who paused #3?" and "what changed on it?" are answered from the audit log,
with names; the words stay questions (nothing is paused or changed by asking)."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor
from assistant.tools.views import AutomationSpec
from models.store.audit import list_entries
from models.store.orgs import get_user
from tests.assistant.conversation.member_chat import MemberChat


def test_who_paused_it_and_what_changed_on_it_name_the_people(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    tools, member = chat.tools, chat.actor
    admin = Actor.of(get_user(sqlite_engine, chat.org.admin_id))
    auto = tools.create_automation(
        member, AutomationSpec(name="Digest", skill="pipeline-report", cron="0 9 * * 1")
    )
    asked = chat.say(f"who paused #{auto.id}?")
    assert asked.text.startswith(f"Nobody has paused #{auto.id} “Digest”")
    tools.update_automation(member, auto.id, {"cron": "0 7 * * 1"})
    tools.pause(admin, auto.id)

    asked = chat.say(f"who paused #{auto.id}?")
    # said in the asker's zone (test_asker_zone_answers: whatever the owner's)
    paused_at = list_entries(sqlite_engine, chat.org.org_id, automation_id=auto.id)[0].entry.at
    local = paused_at.replace(tzinfo=paused_at.tzinfo or UTC).astimezone(ZoneInfo(auto.timezone))
    assert asked.text.startswith(
        f"Ada Admin (admin@acme.test) paused #{auto.id} on {local:%a %d %b %Y %H:%M %Z}."
    )
    assert not tools.get_automation(member, auto.id).enabled  # still paused: asking changed nothing
    changes = chat.say("what changed on it?").text
    assert changes.startswith(f"Changes to #{auto.id} “Digest”, newest first:")
    lines = changes.splitlines()[1:]
    assert "Ada Admin (admin@acme.test) paused" in lines[0]
    assert (
        f"Max Member (member@acme.test) changed #{auto.id}: schedule Mondays 9:00 → Mondays 7:00"
        in lines[1]
    )
    assert "Max Member (member@acme.test) created" in lines[2]
    assert chat.say(f"who changed #{auto.id}").text == changes
    assert tools.get_automation(member, auto.id).cron == "0 7 * * 1"
