"""Follow-ups that keep to the automation spoken about: "when's the next one?" (that automation's
next run; with none spoken about, the speaker's soonest run across their own), "who else gets
it?" (its recipients besides the speaker); and the recruiter's conversation through a real
`skilltick chat` process, where unreadable sentences and a skip come between the follow-ups."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from assistant.conversation import words
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.clock import utc
from models.store.automations import get_automation, list_automations
from tests.assistant.conversation.member_chat import MemberChat
from tests.chat_process import chat_home, chat_replies


def test_the_next_one_and_who_else_gets_it(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    org = chat.org
    schedules = [("0 9 * * 1", "America/Los_Angeles"), ("30 7 * * *", "Asia/Tokyo")]
    recipients = (["me"], ["me", "sam@acme.test", "priya@acme.test"], ["sam@acme.test"])
    mine = [
        make_automation(sqlite_engine, org, NOW, cron=cron, tz=tz, channel="email", to=to)
        for (cron, tz), to in zip([*schedules, ("0 12 * * 5", "UTC")], recipients, strict=True)
    ]
    # an admin's automation sooner than all of them, that the member gets: not their own
    make_automation(
        sqlite_engine, org, NOW, cron="*/5 * * * *", owner_id=org.admin_id, channel="email",
        to=["me", org.member_email],
    )  # fmt: skip
    soonest = min(mine, key=lambda a: utc(a.next_run_at or NOW))
    said = chat.say("when's the next one?")
    assert said.automation_id == soonest.id, said.text
    assert said.text == (
        f"Your next run is #{soonest.id} “{soonest.name}”, on "
        f"{words.when(soonest.next_run_at, soonest.timezone)}."
    )
    others = {}
    for auto in mine:
        chat.say(f"show #{auto.id}")
        for asked in ("when's the next one?", "when does the next one run?"):
            next_run = chat.say(asked)
            assert next_run.automation_id == auto.id, (asked, next_run.text)
            assert words.when(auto.next_run_at, auto.timezone) in next_run.text
        others[auto.id] = chat.say("who else gets it?").text
    first, shared, theirs = (f"#{a.id} “{a.name}”" for a in mine)
    assert list(others.values()) == [
        f"Nobody else: {first} goes only to you (by email).",
        f"Besides you, {shared} goes to sam@acme.test and priya@acme.test (by email).",
        f"{theirs} goes to sam@acme.test (by email); not to you.",
    ]
    # while a draft waits for "yes", the next one is the draft's
    draft = chat.say("every weekday at 8:30 send me a summary of my pipeline")
    of_draft = chat.say("when's the next one?")
    assert of_draft.kind == "draft" and of_draft.draft_id == draft.draft_id, of_draft.text


def test_the_recruiters_thread_through_skilltick_chat(tmp_path: Path) -> None:
    """What the recruiter typed: an automation set up, changed and shared; then sentences the
    parser reads as nothing, each followed by a command about "it"; a listing and its rows by
    place; a skip and its undo."""
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    said = [
        "every weekday at 8:30 send me my interviews for the day",
        "yes",
        "actually make it 8",
        "add ada to it",
        "so about that thing",
        "run it now",
        "pause it until monday",
        "blorf zindle quapper",
        "stop sending it to me",
        "rename it to Friday pipeline",
        "who else gets it?",
        "list my automations",
        "resume the first one",
        "skip the next run",
        "when's the next one?",
        "undo",
    ]
    user = ["--org", "acme", "--user", org.member_email, "--tz", "Europe/London"]
    replies = chat_replies(env, NOW, user, said)
    texts = [r["text"] for r in replies]
    (auto,) = list_automations(engine, org.org_id)
    title = f"#{auto.id} “Friday pipeline”"
    assert [r["kind"] for r in replies] == [
        *("draft", "done", "done", "done", "error", "done", "done", "error", "done", "done"),
        *("info", "list", "done", "done", "info", "done"),
    ], texts
    assert all("isn't set up yet" not in t and "Still waiting" not in t for t in texts), texts
    assert texts[5].startswith("Queued run") and f"of #{auto.id} now" in texts[5]
    assert texts[6].startswith(f"Paused #{auto.id}") and "until Mon 09 Mar 2026" in texts[6]
    assert texts[8].startswith(f"Removed {org.member_email} from #{auto.id}")
    assert texts[9].startswith(f"Changed {title}")
    assert texts[10] == f"{title} goes to {org.admin_email} (by email); not to you."
    assert texts[12].startswith(f"Resumed {title}")
    assert texts[13].startswith("Skipping its run of Tue 03 Mar 2026 08:00 GMT")
    assert "It runs next on Wed 04 Mar 2026 08:00 GMT." in texts[13]
    assert "Wed 04 Mar 2026 08:00 GMT" in texts[14]
    assert texts[15].startswith(f"Undone: {title} no longer skips the run you skipped.")
    stored = get_automation(engine, org.org_id, auto.id or 0)
    assert stored.enabled and stored.name == "Friday pipeline"
    assert stored.cron_expression == "0 8 * * 1-5" and stored.output_config["to"] == [
        org.admin_email
    ]
    engine.dispose()
