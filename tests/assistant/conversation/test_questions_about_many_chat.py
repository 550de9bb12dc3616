"""`skilltick chat` as an admin asks it about many automations at once: the audit log, what was
paused today, which automations email candidates or post to a channel, how last week's runs
went, how many candidates one reached, and whether a run just started worked."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.orgs import get_user
from models.tables.runs import AutomationRun
from tests.chat_process import chat_home, chat_replies


def test_an_admin_asks_about_changes_listings_and_runs(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW - timedelta(days=30), slug="acme")
    weekly = make_automation(engine, org, NOW, name="Weekly pipeline report",
                             skill="pipeline-report", channel="email", cron="0 9 * * 1")  # fmt: skip
    note = make_automation(engine, org, NOW, name="Candidate note", skill="candidate-note",
                           channel="email", to=["candidate"])  # fmt: skip
    posted = make_automation(engine, org, NOW, name="Hiring post", skill="pipeline-report",
                             channel="slack", to=["#hiring"])  # fmt: skip
    member = Actor.of(get_user(engine, org.member_id))
    Toolset(engine, load_settings(), clock=lambda: NOW - timedelta(hours=1)).pause(
        member, weekly.id or 0
    )
    with Session(engine) as s:
        for days, candidate in ((2, 7), (4, 8), (6, 7)):
            at = NOW - timedelta(days=days)
            s.add(AutomationRun(org_id=org.org_id, automation_id=note.id or 0,
                                triggered_by="event", scheduled_for=at, not_before=at,
                                status="completed", created_at=at, metrics={"delivered": 1},
                                output_summary={"note": "received", "candidate_id": candidate}))  # fmt: skip
        s.commit()
    said = [
        "show the audit log",
        "what did max change today?",
        "list everything paused today",
        "which automations email candidates?",
        "which automations post to #hiring?",
        "how did last week's runs go?",
        f"how many candidates got #{note.id}?",
        f"run #{posted.id} now",
        "did it work?",
    ]
    user = ["--org", "acme", "--user", org.admin_email, "--tz", "America/New_York"]
    replies = chat_replies(env, NOW, user, said)
    texts = [r["text"] for r in replies]
    assert [r["kind"] for r in replies] == [
        "list", "list", "list", "list", "list", "info", "info", "done", "info",
    ], texts  # fmt: skip
    paused = f"Max Member paused #{weekly.id} “Weekly pipeline report”"
    assert texts[0].startswith("Changes, newest first:\nMon 10:00 EST · " + paused), texts[0]
    assert texts[1] == f"Changes by Max today, newest first:\nMon 10:00 EST · {paused}"
    assert texts[2].startswith("Paused today and still paused, as the audit log says:\n1. ")
    emailing = {a["id"]: a["skill"] for a in replies[3]["data"]}
    # the note, and the organisation's nurture sequences, which email candidates by their steps
    assert set(emailing.values()) == {"candidate-note", "nurture-sequence"}, texts[3]
    assert note.id in emailing
    assert [a["id"] for a in replies[4]["data"]] == [posted.id]
    assert "last week (Mon 23 Feb to Sun 01 Mar)" in texts[5]
    assert replies[5]["data"]["ran"] == 3  # the runs of 24, 26 and 28 February
    assert texts[6] == f"2 candidates got #{note.id} “Candidate note”: 3 deliveries in 3 runs."
    # no worker runs beside the chat: the run is still waiting, and the answer says so
    assert texts[8].endswith("hasn't finished yet (it is waiting to run); nothing is known of it "
                             "so far. Ask again in a minute.")  # fmt: skip
