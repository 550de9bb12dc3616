"""The audit log asked about in chat ("what changed today?", "what did sam change this week?",
"what happened to #4 yesterday?", "recent changes", then "more"): question forms x windows x
people, for an admin (the organisation's log) and a member (entries about their own automations
and their own actions), each answer checked against entries written at fixed instants, windows
taken from the calendar of the speaker's zone (New York, across the March clock change), on
both stores."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.conversation.reply import Reply
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.audit import record
from models.store.orgs import create_user, get_user
from models.tables.audit import AuditEntry

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)  # Thursday 11:00 in New York (EDT since Sunday)
ZONE = "America/New_York"
_EST, _EDT = timedelta(hours=5), timedelta(hours=4)
# each window's [start, end) in UTC, worked out by hand from the New York calendar
WINDOWS: dict[str, tuple[datetime, datetime]] = {
    "": (datetime(2000, 1, 1, tzinfo=UTC), NOW),
    "today": (datetime(2026, 3, 12, tzinfo=UTC) + _EDT, NOW),
    "yesterday": (datetime(2026, 3, 11, tzinfo=UTC) + _EDT, datetime(2026, 3, 12, tzinfo=UTC) + _EDT),
    "this week": (datetime(2026, 3, 9, tzinfo=UTC) + _EDT, NOW),
    "last week": (datetime(2026, 3, 2, tzinfo=UTC) + _EST, datetime(2026, 3, 9, tzinfo=UTC) + _EDT),
    "this month": (datetime(2026, 3, 1, tzinfo=UTC) + _EST, NOW),
    "last month": (datetime(2026, 2, 1, tzinfo=UTC) + _EST, datetime(2026, 3, 1, tzinfo=UTC) + _EST),
    "since monday": (datetime(2026, 3, 9, tzinfo=UTC) + _EDT, NOW),
    "since tuesday": (datetime(2026, 3, 10, tzinfo=UTC) + _EDT, NOW),
    "in the last 3 days": (NOW - timedelta(days=3), NOW),
    "over the past 2 weeks": (NOW - timedelta(days=14), NOW),
}  # fmt: skip
ANYONE = [
    "what changed {w}?",
    "what has changed {w}?",
    "show the audit log {w}",
    "recent changes {w}",
    "what happened {w}?",
    "anything changed {w}?",
    "list changes {w}",
]
BY = ["what did {who} change {w}?", "what changes did {who} make {w}?", "what has {who} done {w}?"]
PAUSED = ["what has {who} paused {w}?", "what did {who} pause {w}?"]
ONE = ["what happened to #{n} {w}?", "what changed with #{n} {w}?"]
# hours before NOW of each entry, newest last; who, what and on which automation rotate
HOURS = [2000, 900, 700, 520, 400, 300, 260, 200, 170, 130, 100, 75, 60, 45, 30, 26, 20, 9, 3, 1]
Entry = tuple[int, int | None, str, int, datetime]  # id, actor, action, automation, at
ACTIONS = ["edit", "pause", "resume", "recipients", "pause", "run_now"]


def _say(chat: ConversationEngine, actor: Actor, message: str) -> Reply:
    said = message.replace(" ?", "?").replace("has I ", "have I ").strip()
    return chat.handle(Turn(actor, "audit", tz=ZONE), said)


def _all_pages(chat: ConversationEngine, actor: Actor, first: Reply) -> list[int]:
    """The entry ids of an answer and of every "more" it (and each next one) offers."""
    seen: list[int] = []
    reply = first
    while True:
        assert reply.kind in ("list", "info"), reply.text
        assert 0 < len(reply.data) <= 5 or not seen, reply.text
        seen += [item["id"] for item in reply.data]
        if "say “more”" not in reply.text:
            return seen
        reply = _say(chat, actor, "more")
        assert reply.data, "a promised “more” showed nothing"


def test_audit_questions_answer_the_entries_of_their_window_person_and_automation(
    engine: Engine,
) -> None:
    org = make_org(engine, NOW - timedelta(days=120))
    sam = create_user(
        engine, org_id=org.org_id, email="sam.sourcer@acme.test", name="Sam Sourcer",
        role="member", now=NOW - timedelta(days=120),
    )  # fmt: skip
    people = {"admin": org.admin_id, "member": org.member_id, "sam": sam.id or 0, "system": None}
    autos = {
        key: make_automation(engine, org, NOW, name=name, owner_id=people[key]).id or 0
        for key, name in (("member", "Digest"), ("admin", "Hiring report"), ("sam", "Sourcing"))
    }
    owner_of = {n: people[k] for k, n in autos.items()}
    written: list[Entry] = []
    for i, (hours, who) in enumerate(zip(HOURS, itertools.cycle(people), strict=False)):
        actor_id = people[who]
        # people change their own automations; an admin and skilltick itself anyone's
        on = autos[who] if who in autos and who != "admin" else list(autos.values())[i % 3]
        action = "pause" if actor_id is None else ACTIONS[i % len(ACTIONS)]
        at = NOW - timedelta(hours=hours)
        changes = {"failed_in_a_row": 3} if actor_id is None else {}
        record(engine, AuditEntry(org_id=org.org_id, actor_user_id=actor_id, action=action,
                                  automation_id=on, owner_user_id=owner_of[on], at=at,
                                  changes=changes))  # fmt: skip
        written.append((i + 1, actor_id, action, on, at))
    checked = 0
    for role in ("admin", "member"):
        speaker_id = org.admin_id if role == "admin" else org.member_id
        speaker = Actor.of(get_user(engine, speaker_id))
        readable = [e for e in written if role == "admin" or speaker_id in (e[1], owner_of[e[3]])]
        chat = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))

        def expected(
            start: datetime, end: datetime, readable: list[Entry] = readable, **only: object
        ) -> list[int]:
            return [
                n for n, actor_id, action, on, at in reversed(readable)
                if start <= at < end
                and only.get("by", actor_id) == actor_id
                and only.get("action", action) == action
                and only.get("on", on) == on
            ]  # fmt: skip

        names = {
            "sam": sam.id,
            "Max": org.member_id,
            "admin@acme.test": org.admin_id,
            "I": speaker_id,
        }
        for turn, (words, (start, end)) in enumerate(WINDOWS.items()):
            if role == "member" and turn % 2:
                continue  # a member's answers differ by whose entries: half the windows do
            asked = ANYONE[turn % len(ANYONE)].format(w=words)
            assert _all_pages(chat, speaker, _say(chat, speaker, asked)) == expected(start, end), (
                asked
            )
            who = list(names)[turn % len(names)]
            asked = BY[turn % len(BY)].format(who=who, w=words)
            want = expected(start, end, by=names[who])
            assert _all_pages(chat, speaker, _say(chat, speaker, asked)) == want, asked
            asked = PAUSED[turn % len(PAUSED)].format(who=who, w=words)
            want = expected(start, end, by=names[who], action="pause")
            assert _all_pages(chat, speaker, _say(chat, speaker, asked)) == want, asked
            on = autos["member"] if role == "member" else list(autos.values())[turn % 3]
            asked = ONE[turn % len(ONE)].format(n=on, w=words)
            reply = _say(chat, speaker, asked)
            assert reply.automation_id == on or reply.data == [], (asked, reply.text)
            shown = [item["id"] for item in reply.data]
            assert shown == expected(start, end, on=on)[:5], asked  # no "more" about one
            checked += 4
    assert checked == 4 * (len(WINDOWS) + (len(WINDOWS) + 1) // 2)


def test_an_answer_line_says_when_in_the_speakers_zone_who_and_what(engine: Engine) -> None:
    org = make_org(engine, NOW - timedelta(days=30))
    digest = make_automation(engine, org, NOW, name="Digest")
    at = NOW - timedelta(hours=2)
    record(engine, AuditEntry(org_id=org.org_id, actor_user_id=None, action="pause",
                              automation_id=digest.id, owner_user_id=org.member_id,
                              at=NOW - timedelta(days=9), changes={"failed_in_a_row": 3}))  # fmt: skip
    record(engine, AuditEntry(org_id=org.org_id, actor_user_id=org.admin_id, action="pause",
                              automation_id=digest.id, owner_user_id=org.member_id, at=at))  # fmt: skip
    chat = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    member = Actor.of(get_user(engine, org.member_id))
    lines = _say(chat, member, "show the audit log").text.splitlines()
    local = at.astimezone(ZoneInfo(ZONE))
    assert lines == [
        "Changes about your automations, newest first:",
        f"{local:%a %H:%M} EDT · Ada Admin paused #{digest.id} “Digest”",
        f"Tue 03 Mar 10:00 EST · skilltick itself paused #{digest.id} “Digest” after 3 failed "
        "runs in a row",
    ]
    paused = _say(chat, member, "who paused anything?").text.splitlines()
    assert paused == ["Pauses about your automations, newest first:", *lines[1:]]
    nobody = _say(chat, member, "what did priya change today?")
    assert nobody.text == "Nobody called “priya” is in the organisation."
    none = _say(chat, member, "what changed yesterday?")
    assert none.text == "No changes about your automations were recorded yesterday (Wed 11 Mar)."
    assert _say(chat, member, "more").kind == "error"  # nothing was left to show
    for n in range(6):
        record(engine, AuditEntry(org_id=org.org_id, actor_user_id=org.member_id, action="resume",
                                  automation_id=digest.id, owner_user_id=org.member_id,
                                  at=NOW - timedelta(minutes=10 - n)))  # fmt: skip
    assert "say “more”" in _say(chat, member, "recent changes").text
    _say(chat, member, "list")  # another listing: "more" no longer continues the log
    assert _say(chat, member, "more").kind == "error"
