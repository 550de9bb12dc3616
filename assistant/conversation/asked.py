"""A request waiting for the answer to its one question, and what the next message does to it:
the answer (or a missing part) completes it; a change to one of its details ("make it 5pm",
"actually on Fridays", "send it to Slack") says that detail anew and asks only what is still
missing; a whole new request replaces it; anything else asks again, each time in other words,
and the third time sets the request aside rather than repeat itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from assistant.conversation.amend import amend, is_new_request
from assistant.conversation.answers import with_am_or_pm
from assistant.conversation.intents import Intent
from assistant.conversation.refer import THIS
from assistant.conversation.reply import Reply
from assistant.conversation.text_or_time import text_or_time
from assistant.conversation.waiting import replaces
from assistant.language.edit_words import is_relative_change, read_relative
from assistant.language.job_words import job_in_answer
from assistant.language.recipient_words import named_in_answer
from assistant.language.stage_age_words import still_in_answer

# reads a request as if just said: the reply, the pending state it leaves behind
Create = Callable[[str], Reply]

_AGAIN = (
    "{question} (Or say “cancel” to drop this request.)",
    "I still need this to go on: {question} Or say a new request, or “cancel”.",
)


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def ask_again(state: dict[str, Any], pending: dict[str, Any]) -> Reply:
    """The question once more, never in the same words as the last two times: after two
    unanswered times the request is set aside (it is said which)."""
    times = int(pending.get("again", 0))
    if times >= len(_AGAIN):
        state["pending"] = None
        return Reply(
            "I've set that request aside, as it still needs an answer; nothing was created. "
            "Say it again, with what was missing, whenever you like.",
            "info",
        )
    state["pending"] = {**pending, "again": times + 1}
    return Reply(_AGAIN[times].format(question=pending["question"]), "question")


def _with_note(note: str, reply: Reply) -> Reply:
    reply.text = f"{note}\n{reply.text}" if reply.kind == "draft" else f"{note} {reply.text}"
    return reply


def answer_question(
    state: dict[str, Any],
    pending: dict[str, Any],
    intent: Intent,
    text: str,
    today: date,
    create: Create,
) -> Reply | None:
    """The reply to `text` while `pending` (a question) waits; None when the message is about
    something else (an automation it names, a listing): the caller handles it as such."""
    question, request = pending["question"], pending["request"]
    whole = with_am_or_pm(question, request, text) or text_or_time(question, request, text)
    whole = whole or named_in_answer(question, request, text)
    whole = whole or still_in_answer(question, request, text)
    if whole := whole or job_in_answer(question, request, text):
        return create(whole)
    if intent.kind in ("yes", "no"):
        return ask_again(state, pending)
    if intent.kind not in ("create", "edit", "choose") or intent.ref not in ("", *THIS):
        return None
    spoken_about = bool(intent.ref) and state.get("focus") is not None
    if not spoken_about and is_relative_change(text) and read_relative(text).shift is not None:
        # "push it back an hour" moves a time that is set up: none is yet, and its words
        # would read as part of the request's schedule
        return _with_note("I can move it once it is set up.", ask_again(state, pending))
    if is_new_request(text, today):
        if _same(text, request):
            return ask_again(state, pending)
        return _with_note(replaces(request), create(text))
    if changed := amend(request, text, today):
        if changed.same:
            return ask_again(state, pending)
        if spoken_about and not changed.old:
            # "make it 8am" changes nothing said in the request: "it" is the automation
            return None
        reply = create(changed.request)
        if reply.kind == "question":
            _carry(state, pending)
        if changed.old or (reply.kind == "question" and _same(reply.text, question)):
            # what changed is said; an answer that completes the request needs no word
            return _with_note(changed.said(), reply)
        return reply
    reply = create(f"{request} {text}")
    if reply.kind == "error" and state.get("pending") is None:
        return ask_again(state, pending)  # read as nothing together: the question still waits
    if reply.kind != "question":
        return reply
    if spoken_about:
        state["pending"] = pending
        return None
    if _same(reply.text, question):  # no part of the question answered
        return ask_again(state, pending)
    return reply


def _carry(state: dict[str, Any], pending: dict[str, Any]) -> None:
    """A changed request asking again keeps count of the times it was asked in vain."""
    fresh = state.get("pending") or {}
    if fresh.get("kind") == "question" and pending.get("again"):
        fresh["again"] = pending["again"]
