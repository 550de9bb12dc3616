"""Words naming a group of people ("send my team", "email the whole team", "tell all recruiters")
make the team the recipient: the read-back says so, never "as you did not say where", and each
run reaches the organisation's users as the store lists them then, over real SMTP on loopback.
People the service has no record of ("my manager") are asked for by address."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from assistant.language.understand import understand
from assistant.tools.toolset import Actor, Toolset
from models.settings import load_settings
from models.store.orgs import create_user, get_user, list_users
from skills.ats.seed import seed_demo
from tests.worker.delivery.test_delivery import Mailbox, free_port, smtp_server  # noqa: F401
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
ASSUMED = "as you did not say where"

# (singular, plural) group nouns; "every" takes the singular, the rest the plural or a collective
COLLECTIVE = (
    "team",
    "whole team",
    "recruiting team",
    "hiring team",
    "talent team",
    "ta team",
    "recruitment team",
    "organisation",
    "organization",
    "company",
)
PERSONS = (
    ("recruiter", "recruiters"),
    ("colleague", "colleagues"),
    ("teammate", "teammates"),
    ("team member", "team members"),
    ("sourcer", "sourcers"),
)


def group_phrases() -> list[str]:
    groups: list[str] = []
    for det, noun in itertools.product(("my", "the", "our", "the entire", "my whole"), COLLECTIVE):
        if not (det.endswith(("whole", "entire")) and noun.startswith("whole")):
            groups.append(f"{det} {noun}")
    for det, (one, many) in itertools.product(
        ("my", "the", "our", "all", "all my", "all the", "every"), PERSONS
    ):
        groups.append(f"{det} {one if det == 'every' else many}")
    groups += ["everyone", "everybody", "everyone on my team", "everyone in the company"]
    return groups


# (frame, channel the words name or None for the default)
FRAMES = (
    ("every monday at 9am send {g} the weekly hiring report", None),
    ("each friday at 4pm email {g} the hiring report", "email"),
    ("every monday at 9am send the hiring report to {g}", None),
    ("every monday at 9am share the hiring report with {g}", None),
    ("remind {g} about stale candidates every weekday at 9", None),
    ("every day at 8am let {g} know about new candidates", None),
    ("every monday at 9am DM {g} my pipeline report", "slack"),
    ("every monday at 9am send me and {g} the hiring report", None),
)


@pytest.mark.parametrize(("frame", "channel"), FRAMES)
def test_a_group_named_as_recipient_is_the_team_and_said_so(
    frame: str, channel: str | None
) -> None:
    for group in group_phrases():
        request = frame.format(g=group)
        draft = understand(request, tz="America/New_York", now=NOW)
        assert draft.status == "ok", f"{request!r}: {draft.question}"
        assert "team" in draft.to, f"{request!r} -> {draft.to}"
        assert set(draft.to) <= {"team", "me"}, f"{request!r} -> {draft.to}"
        assert ("me" in draft.to) == ("send me and" in frame), f"{request!r} -> {draft.to}"
        assert draft.channel == (channel or "email"), request
        assert "your team (everyone in your organisation" in draft.summary, request
        assert ASSUMED not in draft.summary, request


@pytest.mark.parametrize(
    ("request_text", "to", "scope"),
    [
        # the team owns what the output is about; it is sent to the requester
        ("every monday at 9am send me the whole team's pipeline", ["me"], "organization"),
        ("every monday at 9am send me my team's pipeline report", ["me"], "organization"),
        ("every monday at 9am send me the pipeline for the whole team", ["me"], "organization"),
        # sent to the team, about the requester's own pipeline
        ("every monday at 9am send my team my pipeline report", ["team"], "mine"),
        ("every monday at 9am send the team report to me", ["me"], None),
    ],
)
def test_a_team_that_owns_the_data_is_not_its_recipient(
    request_text: str, to: list[str], scope: str | None
) -> None:
    draft = understand(request_text, tz="UTC", now=NOW)
    assert draft.status == "ok", draft.question
    assert draft.to == to
    assert draft.params.get("scope") == scope


def test_everyone_who_describes_candidates_is_not_the_team() -> None:
    for tail in ("who applied this week", "that has not been contacted in 5 days", "in screening"):
        draft = understand(f"every monday at 9am tell me about everyone {tail}", tz="UTC", now=NOW)
        assert "team" not in draft.to, tail


@pytest.mark.parametrize(
    ("person", "said"),
    [
        ("my manager", "my manager"),
        ("my boss", "my boss"),
        ("the ceo", "the ceo"),
        ("HR", "hr"),
        ("our head of talent", "our head of talent"),
        ("the leadership team", "the leadership team"),
    ],
)
def test_someone_the_service_cannot_look_up_is_asked_for(person: str, said: str) -> None:
    for frame in (
        "every monday at 9am send {p} the hiring report",
        "every monday at 9am email the pipeline report to {p}",
    ):
        draft = understand(frame.format(p=person), tz="UTC", now=NOW)
        assert draft.status == "question", frame
        assert f"Who is “{said}”" in (draft.question or "")
        assert "email address" in (draft.question or "")
    # an address given with them says who they are
    draft = understand(
        f"every monday at 9am email {person} the hiring report at lee@example.com",
        tz="UTC",
        now=NOW,
    )
    assert draft.status == "ok" and draft.to == ["lee@example.com"]


def test_a_webhook_cannot_reach_the_team() -> None:
    draft = understand(
        "every monday at 9am post the hiring report to https://hooks.example.com/x for my team "
        "and send it to my team",
        tz="UTC",
        now=NOW,
    )
    assert draft.status == "question"
    assert "webhook" in (draft.question or "")


def test_each_run_reaches_the_organisations_users_as_listed_then(
    engine: Engine,
    smtp_server: Callable[[int | None], Mailbox],  # noqa: F811
) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(days=1), candidates=20)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    me = Actor.of(get_user(engine, demo.member_ids[0]))
    draft = tools.draft_automation(
        me, "every day at 9am send me and my team my pipeline report", tz="UTC"
    )
    assert draft.id is not None, draft.question
    made = tools.confirm_draft(me, draft.id)
    mailbox = smtp_server(None)
    worker = Worker(
        engine,
        load_settings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_timeout_seconds=5.0),
    )

    def delivered() -> list[str]:
        return sorted(m["To"].addresses[0].addr_spec.lower() for m in mailbox.messages)

    worker.tick(now=datetime(2026, 3, 3, 9, 0, 1, tzinfo=UTC))
    users = sorted(u.email.lower() for u in list_users(engine, demo.org_id))
    assert len(users) >= 3 and delivered() == users  # the owner, one of them, gets one copy
    assert sorted(made.to) == ["me", "team"]

    # someone who joins gets the next run
    create_user(engine, org_id=demo.org_id, email="new.hire@demo.example", name="New Hire", now=NOW)
    mailbox.messages.clear()
    worker.tick(now=datetime(2026, 3, 4, 9, 0, 1, tzinfo=UTC))
    assert delivered() == sorted([*users, "new.hire@demo.example"])


NAMES = ("Dana", "sam", "Priya Shah", "Olu")
NAME_FRAMES = (
    "every monday at 9am send {n} the pipeline report",
    "every monday at 9am email {n} my pipeline report",
    "every friday at 4pm send the pipeline report to {n}",
    "every friday at 4pm share my pipeline with {n}",
)


def test_a_person_named_by_name_is_asked_for_never_assumed_to_be_you() -> None:
    for frame, name in itertools.product(NAME_FRAMES, NAMES):
        request = frame.format(n=name)
        if name.islower() and "{n} " not in frame:
            continue  # a lower-case name after "to" reads as any word
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.status == "question", f"{request!r}: {draft.summary}"
        assert f"Who is “{name}”" in (draft.question or ""), request


@pytest.mark.parametrize(
    "request_text",
    [
        "when a candidate moves to Interview, send them the prep pack",
        "send me candidates who move to Offer every monday at 9am",
        "when someone applies to the Backend Engineer role, email me",
        "every Monday at 9am send me the pipeline report",
        "every friday at 4pm send the pipeline report to Slack",
        "every friday at 4pm send the pipeline report to me on Slack",
    ],
)
def test_stages_jobs_days_and_channels_are_not_people(request_text: str) -> None:
    draft = understand(request_text, tz="UTC", now=NOW)
    assert "Who is" not in (draft.question or ""), draft.question
