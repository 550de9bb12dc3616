"""A reminder's "Is “the 9am room” part of what to remind you of, or of when?" is answered in
words: "it's text", "part of the message" keep the phrase in the reminder's text as said;
"the time", "when" make its time words part of the schedule and leave them out of the text.
Quotes around a part of the text keep that part as written, the rest still text."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.text_or_time import text_or_time
from assistant.language.schedule_words import understand_schedule
from assistant.language.understand import understand
from tests.assistant.conversation.member_chat import MemberChat

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TZ = "Europe/London"
SCHEDULES = ["every friday at 4pm", "every weekday at 3pm", "on mondays at 11am"]
# (words before the time, the time words, the name after them)
TEXTS = [("book the", "9am", "room"), ("order the", "1pm", "lunch"), ("tidy the", "10am", "board")]
TEXT_ANSWERS = ["it's text", "text", "part of the message", "that's part of the text", "the first"]
TIME_ANSWERS = ["the time", "when", "it's a time", "time, not text", "the second one"]


def _requests() -> list[tuple[str, str, tuple[str, str, str]]]:
    cases = []
    for index, (when, parts) in enumerate(itertools.product(SCHEDULES, TEXTS)):
        said = " ".join(parts)
        request = f"{when} remind me to {said}" if index % 2 else f"remind me to {said} {when}"
        cases.append((request, when, parts))
    return cases


def _asked(request: str) -> str:
    draft = understand(request, tz=TZ, now=NOW)
    assert draft.question and "“text” or “time”" in draft.question, (request, draft.question)
    return draft.question


@pytest.mark.parametrize(("request_", "when", "parts"), _requests())
def test_text_keeps_the_phrase_as_said(
    request_: str, when: str, parts: tuple[str, str, str]
) -> None:
    question = _asked(request_)
    for answer in TEXT_ANSWERS:
        whole = text_or_time(question, request_, answer)
        assert whole is not None, answer
        draft = understand(whole, tz=TZ, now=NOW)
        assert draft.ok, (whole, draft.question)
        assert draft.params == {"message": " ".join(parts)}
        assert draft.schedule == understand_schedule(when, tz=TZ, now=NOW).schedule


@pytest.mark.parametrize(("request_", "when", "parts"), _requests())
def test_time_joins_the_schedule(request_: str, when: str, parts: tuple[str, str, str]) -> None:
    question = _asked(request_)
    lead, time, noun = parts
    expected = understand_schedule(f"{when} and at {time}", tz=TZ, now=NOW).schedule
    assert expected is not None
    for answer in TIME_ANSWERS:
        whole = text_or_time(question, request_, answer)
        assert whole is not None, answer
        draft = understand(whole, tz=TZ, now=NOW)
        assert draft.ok, (whole, draft.question)
        assert draft.params == {"message": f"{lead} {noun}"}
        assert draft.schedule == expected


def test_other_answers_are_no_answer() -> None:
    request = "every friday at 4pm remind me to book the 9am room"
    question = _asked(request)
    for answer in ("yes", "every monday instead", "cancel", "book the room", "list"):
        assert text_or_time(question, request, answer) is None, answer


def test_quotes_keep_a_part_of_the_text_as_written() -> None:
    for request in (
        "every friday at 4pm remind me to book the “9am room” for the panel",
        'remind me to book the "9am room" for the panel every friday at 4pm',
    ):
        draft = understand(request, tz=TZ, now=NOW)
        assert draft.ok, draft.question
        assert draft.params == {"message": "book the 9am room for the panel"}
        assert draft.schedule == understand_schedule("every friday at 4pm", tz=TZ, now=NOW).schedule


def test_the_question_is_answered_in_the_conversation(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine, tz=TZ)
    asked = chat.say("every friday at 4pm remind me to book the 9am room")
    assert asked.kind == "question", asked.text
    draft = chat.say("it's text")
    assert draft.kind == "draft", draft.text
    assert chat.draft(draft)["params"] == {"message": "book the 9am room"}
    assert chat.say("yes").kind == "done"
