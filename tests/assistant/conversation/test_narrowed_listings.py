"""Listings narrowed by a window ("list everything paused this week", "what did I create this
month?", "what failed last month?", "which automations ran since Monday?"), the tally of a
window ("how did last week's runs go?") and by where
automations go ("which automations email candidates?", "which post to #hiring?", "what goes
to sam?", "which use the pipeline report?"): question forms x windows x listing kinds, each
answer checked against rows written at fixed instants (pauses in the audit log, creations in
the automations' own rows, runs), windows of the New York calendar, on both stores."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.audit import record
from models.store.orgs import create_user, get_user
from models.tables.audit import AuditEntry
from models.tables.runs import AutomationRun
from tests.assistant.conversation.test_audit_log_chat import NOW, WINDOWS, ZONE

FORMS = {
    "paused": ["list everything paused {w}", "what was paused {w}?",
               "which automations were paused {w}?", "show me what got paused {w}"],
    "created": ["what did I create {w}?", "what was created {w}?", "list everything I created {w}",
                "which automations were set up {w}?"],
    "failed": ["what failed {w}?", "which automations failed {w}?", "list failed runs {w}"],
    "ran": ["which automations ran {w}?", "what ran {w}?", "show me runs {w}"],
}  # fmt: skip
WENT = ["how did {w}'s runs go?", "how did the runs go {w}?", "how were my automations doing {w}?"]
# today's and yesterday's runs are the older listing's (tests/…/test_upcoming_and_bulk)
RUN_WINDOWS = [w for w in WINDOWS if w not in ("", "today", "yesterday")]
# how an answer says each window: the span it read, in the speaker's calendar
SAID = {
    "yesterday": "yesterday (Wed 11 Mar)",
    "this week": "this week (since Mon 09 Mar)",
    "last week": "last week (Mon 02 Mar to Sun 08 Mar)",
    "this month": "this month (since 1 Mar)",
    "last month": "last month (February)",
    "since monday": "since Mon 09 Mar",
    "since tuesday": "since Tue 10 Mar",
    "over the past 2 weeks": "in the last 2 weeks",
}
CREATED_HOURS = [1, 10, 30, 60, 100, 200, 300, 500, 700, 1000]
RUN_HOURS = [2, 20, 50, 90, 150, 250, 400, 800]


def _ids(data: Any) -> list[int]:
    return [int(item["id"]) for item in data or []]


def test_listings_narrowed_by_a_window_list_what_happened_within_it(engine: Engine) -> None:
    org = make_org(engine, NOW - timedelta(days=200))
    created: dict[int, datetime] = {}
    paused_at: dict[int, datetime | None] = {}
    for n, hours in enumerate(CREATED_HOURS):
        at = NOW - timedelta(hours=hours)
        auto = make_automation(engine, org, at, name=f"A{n}", enabled=n % 2 == 0)
        created[auto.id or 0] = at
        if n % 2 and n != 9:  # paused after creation, recorded; #9 paused with no record
            paused = paused_at[auto.id or 0] = at + (NOW - at) / 3
            record(engine, AuditEntry(org_id=org.org_id, actor_user_id=org.member_id,
                                      action="pause", automation_id=auto.id,
                                      owner_user_id=org.member_id, at=paused))  # fmt: skip
    # the admin's own: never in a member's answers
    theirs = make_automation(engine, org, NOW - timedelta(hours=3), owner_id=org.admin_id,
                             enabled=False)  # fmt: skip
    record(engine, AuditEntry(org_id=org.org_id, actor_user_id=org.admin_id, action="pause",
                              automation_id=theirs.id, owner_user_id=org.admin_id,
                              at=NOW - timedelta(hours=2)))  # fmt: skip
    runs: list[tuple[int, int, str, datetime]] = []
    with Session(engine) as s:
        for (n, auto_id), hours in itertools.product(
            enumerate([*created, theirs.id or 0]), RUN_HOURS
        ):
            when = NOW - timedelta(hours=hours + n)
            status = ("failed", "completed", "partial")[(n + hours) % 3]
            by = "test" if hours == 90 and n % 3 == 0 else "schedule"
            run = AutomationRun(org_id=org.org_id, automation_id=auto_id, triggered_by=by,
                                scheduled_for=when, not_before=when, status=status, created_at=when)  # fmt: skip
            s.add(run)
            s.flush()
            if auto_id != theirs.id and by != "test":
                runs.append((run.id or 0, auto_id, status, when))
        s.commit()
    member = Actor.of(get_user(engine, org.member_id))
    chat = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    checked = 0
    for kind, forms in FORMS.items():
        windows = RUN_WINDOWS if kind in ("failed", "ran") else [w for w in WINDOWS if w]
        for turn, words in enumerate(windows):
            start, end = WINDOWS[words]
            asked = forms[turn % len(forms)].format(w=words)
            reply = chat.handle(Turn(member, "n", tz=ZONE), asked)
            assert reply.kind == "list", (asked, reply.text)
            if kind == "paused":
                want = sorted(a for a, at in paused_at.items() if at and start <= at < end)
                assert sorted(_ids(reply.data)) == want, (asked, reply.text)
                assert "1 paused automation has no pause in the audit log" in reply.text
            elif kind == "created":
                want = sorted(a for a, at in created.items() if start <= at < end)
                assert sorted(_ids(reply.data)) == want, (asked, reply.text)
            else:
                failed = (
                    ("failed", "partial")
                    if kind == "failed"
                    else ("failed", "partial", "completed")
                )
                want = [r for r, _, status, at in sorted(runs, reverse=True)  # newest first
                        if status in failed and start <= at < end]  # fmt: skip
                assert _ids(reply.data) == want[:20], (asked, reply.text)
            said = reply.text.splitlines()[0]
            assert SAID.get(words, words) in said, (
                asked,
                said,
            )  # the answer says which window it read
            checked += 1
    for turn, words in enumerate(w for w in WINDOWS if w):
        start, end = WINDOWS[words]
        said = (
            WENT[turn % len(WENT)]
            if " " in words and not words.startswith(("since", "over"))
            else "how did my runs go {w}?"
        )
        asked = said.format(w=words)
        reply = chat.handle(Turn(member, "n", tz=ZONE), asked)
        assert reply.data["ran"] == sum(1 for *_, at in runs if start <= at < end), asked
        assert SAID.get(words, words) in reply.text, (asked, reply.text)
        checked += 1
    assert checked == 3 * (len(WINDOWS) - 1) + 2 * len(RUN_WINDOWS)


# (channel, recipients, skill) of each automation, and what each question should find
SPECS = [
    ("email", ["candidate"], "candidate-note"),
    ("email", ["me"], "pipeline-report"),
    ("slack", ["#hiring"], "pipeline-report"),
    ("email", ["sam.sourcer@acme.test", "me"], "sourcing-recap"),
    ("in_app", ["me"], "followups"),
    ("noop", ["me"], "nurture-sequence"),
    ("slack", ["#sales", "#hiring-leads"], "noop"),
]
EMAIL = ["which automations email {x}?", "what emails {x}?", "do any automations email {x}?",
         "list the automations that email {x}"]  # fmt: skip
GOES = ["what goes to {x}?", "which ones are sent to {x}?", "which automations go to {x}?"]
POST = ["which automations post to {x}?", "what posts in {x}?", "which ones go to {x}?"]
USE = ["which automations use the {x}?", "which ones use {x}?", "what uses the {x} skill?"]


def _goes(spec: tuple[str, list[str], str], how: str, x: str) -> bool:
    channel, to, skill = spec
    if how == "use":
        return skill == x.replace(" ", "-")
    if how == "post":
        return channel == "slack" and x in to
    if x == "candidates" and skill == "nurture-sequence":
        return True  # its own steps email candidates
    if how == "email" and channel != "email":
        return False
    people = {"candidates": {"candidate"}, "sam": {"sam.sourcer@acme.test"},
              "me": {"me"}, "admin@acme.test": set()}[x]  # fmt: skip
    return bool(people & set(to))


def test_which_automations_email_post_to_go_to_or_use_something(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    create_user(sqlite_engine, org_id=org.org_id, email="sam.sourcer@acme.test",
                name="Sam Sourcer", role="member", now=NOW)  # fmt: skip
    ids = [
        make_automation(sqlite_engine, org, NOW, channel=c, to=to, skill=skill, name=f"S{n}").id
        for n, (c, to, skill) in enumerate(SPECS)
    ]
    member = Actor.of(get_user(sqlite_engine, org.member_id))
    chat = ConversationEngine(Toolset(sqlite_engine, load_settings(), clock=lambda: NOW))
    asked = [(how, form, x) for how, forms, targets in (
        ("email", EMAIL, ["candidates", "sam", "me", "admin@acme.test"]),
        ("to", GOES, ["candidates", "sam", "me"]),
        ("post", POST, ["#hiring", "#sales", "#nowhere"]),
        ("use", USE, ["pipeline report", "nurture sequence", "candidate note"]),
    ) for form, x in zip(itertools.cycle(forms), targets, strict=False)]  # fmt: skip
    for how, form, x in asked:
        question = form.format(x=x)
        reply = chat.handle(Turn(member, "s", tz=ZONE), question)
        want = [i for i, spec in zip(ids, SPECS, strict=True) if _goes(spec, how, x)]
        assert reply.kind == "list", (question, reply.text)
        assert _ids(reply.data) == want, (question, reply.text)
        if not want:
            assert reply.text.startswith("None of your automations"), reply.text
    assert len(asked) == 13
