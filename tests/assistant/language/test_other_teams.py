"""A team named by what it does or where it is ("the HR team", "finance department", "the Berlin
recruiting team") is not the requester's team: who they are is asked in one line, in the words
said, as for "the CEO", never the whole organisation. The requester's own team, however they
call the work it does ("the recruiting team", "my hiring team"), is still everyone; a channel or
an address said with the team is where it goes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.language.understand import understand
from tests.assistant.conversation.member_chat import MemberChat

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
# the work a recruiting organisation does: its team is the requester's
OWN = ("recruiting", "Recruiting", "hiring", "talent", "TA", "talent acquisition", "recruitment")
# teams of other work or of one place: someone the service has no record of
OTHER = (
    "HR",
    "hr",
    "Finance",
    "engineering",
    "Sales",
    "people",
    "People Ops",
    "leadership",
    "legal",
    "customer success",
    "Berlin recruiting",
    "London hiring",
)
DETERMINERS = ("the ", "our ", "my ", "")
NOUNS = ("team", "department", "group")
FRAMES = (
    "every monday at 9am send {g} the hiring report",
    "each friday at 4pm email {g} the hiring report",
    "every monday at 9am send the hiring report to {g}",
    "every monday at 9am share the hiring report with {g}",
    "remind {g} about stale candidates every weekday at 9",
    "every day at 8am let {g} know about new candidates",
    "every monday at 9am DM {g} my pipeline report",
    "every monday at 9am send me and {g} the hiring report",
    "remind {g} to submit their timesheets every friday at 4pm",
)


def test_a_team_of_other_work_is_asked_for_and_ones_own_is_everyone() -> None:
    # each frame, determiner and noun together, with one team of each kind in turn
    combos = itertools.product(FRAMES, DETERMINERS, NOUNS)
    for turn, (frame, det, noun) in enumerate(combos):
        for qualifier in (OWN[turn % len(OWN)], OTHER[turn % len(OTHER)]):
            group = f"{det}{qualifier} {noun}"
            request = frame.format(g=group)
            draft = understand(request, tz="UTC", now=NOW)
            if qualifier in OWN:
                assert draft.status == "ok", (request, draft.question)
                assert "team" in draft.to, (request, draft.to)
                continue
            assert draft.status == "question", (request, draft.to)
            assert (draft.question or "").startswith(f"Who is “{group}”? Give me their email"), (
                request,
                draft.question,
            )


def test_a_channel_or_an_address_says_who_the_team_is() -> None:
    for request, channel, to in (
        ("every monday at 9am send the #hr team the hiring report", "slack", ["#hr"]),
        ("every monday at 9am send the HR team the hiring report in #hr-team", "slack", ["#hr-team"]),
        ("every monday at 9am email the HR team at hr@acme.test the hiring report", "email", ["hr@acme.test"]),
    ):  # fmt: skip
        draft = understand(request, tz="UTC", now=NOW)
        assert draft.status == "ok", (request, draft.question)
        assert (draft.channel, draft.to) == (channel, to), request


def test_words_that_only_look_like_a_team_are_not_a_recipient() -> None:
    for request in (
        "every monday at 9am send me the engineering team's pipeline",
        "every monday at 9am send me a summary of my pipeline for the sales team",
        "every monday at 9am send the hiring report for the design team to me",
        "every friday at 4pm send me candidates who applied to the engineering department",
        "every monday at 9am send me the weekly team update",
        "every monday at 9am send the whole team the hiring report",
    ):
        draft = understand(request, tz="UTC", now=NOW)
        assert not (draft.question or "").startswith("Who is"), (request, draft.question)
        assert "whole team" not in request or draft.to == ["team"], (request, draft.to)


def test_the_answer_to_who_the_team_is_is_where_it_goes(engine: Engine) -> None:
    chat = MemberChat(engine)
    asked = chat.say("every monday send the HR team the hiring report")
    assert asked.text.startswith("Who is “the HR team”?"), asked.text
    assert "everyone in your organisation" not in asked.text
    drafted = chat.say("#hr")
    shown = chat.draft(drafted)
    assert (shown["output"]["channel"], shown["output"]["to"]) == ("slack", ["#hr"]), drafted.text
    assert "everyone in your organisation" not in drafted.text, drafted.text
