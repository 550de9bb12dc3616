"""A name the organisation does not know is asked about after "for" as after "to" and "cc";
what a report is for ("for interviews", "for sales") is no name. "Who is bob?" may be answered
with a teammate's name as well as with an address."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.language.teammate_words import Teammate
from assistant.language.understand import understand
from tests.assistant.conversation.member_chat import MemberChat
from tests.examples import examples

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
PEOPLE = [Teammate("Sam Sourcer", "sam.sourcer@acme.test"), Teammate("Ada Admin", "ada@acme.test")]
STRANGERS = ("jordan", "priya", "bob", "Lee", "morgan", "Kim", "noor", "alex")
NOT_PEOPLE = ("interviews", "sales", "engineering", "marketing", "onboarding", "the team")
VERBS = ("send a pipeline summary", "send the sourcing recap", "email my pipeline report")
PREPS = ("to", "for", "cc")
WHEN = ("every friday", "on mondays at 9am", "every weekday at 8")


@settings(max_examples=examples(200), deadline=None)
@given(
    verb=st.sampled_from(VERBS),
    prep=st.sampled_from(PREPS),
    who=st.sampled_from(STRANGERS),
    when=st.sampled_from(WHEN),
)
def test_an_unknown_name_is_asked_about_after_each_preposition(
    verb: str, prep: str, who: str, when: str
) -> None:
    draft = understand(f"{verb} {prep} {who} {when}", now=NOW, people=PEOPLE)
    assert draft.question is not None and f"Who is “{who}”?" in draft.question


@settings(max_examples=examples(120), deadline=None)
@given(verb=st.sampled_from(VERBS), what=st.sampled_from(NOT_PEOPLE), when=st.sampled_from(WHEN))
def test_what_a_report_is_for_is_no_name(verb: str, what: str, when: str) -> None:
    draft = understand(f"{verb} for {what} {when}", now=NOW, people=PEOPLE)
    assert "Who is" not in (draft.question or ""), draft.question


@settings(max_examples=examples(120), deadline=None)
@given(verb=st.sampled_from(VERBS), prep=st.sampled_from(PREPS), when=st.sampled_from(WHEN))
def test_a_teammate_after_each_preposition_is_found(verb: str, prep: str, when: str) -> None:
    draft = understand(f"{verb} {prep} sam {when}", now=NOW, people=PEOPLE)
    assert draft.question is None and "sam.sourcer@acme.test" in draft.to


@settings(
    max_examples=examples(24),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    stranger=st.sampled_from(STRANGERS),
    answer=st.sampled_from(("max", "Max Member", "it's Max", "member@acme.test")),
)
def test_who_is_answered_with_a_teammate_name_keeps_the_recipient(
    sqlite_engine: Engine, stranger: str, answer: str
) -> None:
    if id(sqlite_engine) not in _CHATS:
        _CHATS[id(sqlite_engine)] = MemberChat(sqlite_engine)
    chat = _CHATS[id(sqlite_engine)]
    chat.key = f"{stranger}-{answer}"
    asked = chat.say(f"send a pipeline summary for {stranger} every friday")
    assert asked.kind == "question" and stranger in asked.text, asked.text
    drafted = chat.say(answer)
    assert drafted.kind == "draft", drafted.text
    assert chat.draft(drafted)["output"]["to"] == ["member@acme.test"]
    chat.say("cancel")


_CHATS: dict[int, MemberChat] = {}
