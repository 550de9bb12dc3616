"""What a message is while a request waits (for the answer to its one question, or as a draft
for "yes"), decided before anything is changed:

- a command or question about a stored automation (it names #N, or a stored automation by its
  name or skill, or is a listing): answered, the waiting request left as it was;
- about the waiting request itself ("who gets it?", "delete the reminder"): answered about it;
- a whole new request (the parser reads what to do and when from it alone): it replaces the
  waiting one, and the reply says so;
- a request of its own the parser cannot read ("when …, remind me"): said so, the waiting one
  kept;
- otherwise a detail (an answer, a time, a channel, "yes", "cancel"): only this amends."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.conversation.intents import Intent
from assistant.conversation.refer import (
    ABOUT_ONE,
    OF_ITS_PAST,
    SHAPING,
    THIS,
    id_in,
    ref_words,
    stems_of,
    subject_of,
)
from assistant.conversation.reply import Reply, draft_choices
from assistant.conversation.upcoming import NEXT_ONE
from assistant.language.edit_words import is_undo
from assistant.language.stage_age_words import still_in_answer
from assistant.language.understand import EXAMPLE
from assistant.language.unwatched import UNWATCHED
from assistant.language.what_words import read_skill
from assistant.language.words import SKILL_LABELS
from models.store.conversations import get_draft

if TYPE_CHECKING:
    from assistant.language.draft import Draft
    from assistant.tools.toolset import Actor, Toolset

# intents that never speak of one automation: a listing, help, a change to many
_ELSEWHERE = {"list", "help", "bulk"}
# intents about one automation that, said of "it" while a request waits, are about that request
# ("pause it": it isn't set up yet); a change or recipients is a detail of it, and a question of
# what a stored automation did is asked of the one in focus
_ABOUT_ONE = ABOUT_ONE - SHAPING - OF_ITS_PAST
# "when an offer isn't signed within 3 days, remind me": a trigger said first, then an action
_OWN_REQUEST = re.compile(
    r"^(?:when|whenever|if|once|each time|every time|as soon as|after)\b.+?"
    r"(?:,|\bthen\b)\s*(?:please\s+)?(?:remind|send|e-?mail|notify|tell|ping|post|slack|dm|"
    r"message|alert|let|text|add|create|move|mark|give)\b",
    re.I,
)
# a listing or a question the parser did not read is still no detail of the waiting request
_ASKING = re.compile(
    r"(?:(?:please|can you|could you|now|and|also)[,\s]+)*(?:list|show|display|which|whose|who|"
    r"how many|(?:is|are) there|what(?!\s+about\b)(?:'s| is| are| was| were| has| have| did| do"
    r"| does| failed| ran| broke))\b",
    re.I,
)
UNREAD = "I couldn't tell what to automate"
# answers that make nothing of a request, as an unread one does
_NOTHING_MADE = (UNREAD, UNWATCHED)
_VERBS = {
    "pause": "pause",
    "resume": "resume",
    "run": "run",
    "test": "test",
    "history": "show runs of",
    "why": "explain",
    "backtest": "replay",
    "retry": "retry",
    "skip": "skip",
}


@dataclass(frozen=True, slots=True)
class Waiting:
    """The waiting request: its words, and its question (None: a draft waiting for "yes")."""

    request: str
    question: str | None
    skill: str
    draft_id: int | None

    def words(self) -> set[str]:
        """What a reference to it may say: its own words, its skill's name and label, and
        what it is ("reminder", "report", "alert")."""
        said = stems_of(f"{self.request} {self.skill.replace('-', ' ')}")
        said |= stems_of(SKILL_LABELS.get(self.skill, "").replace("-", " "))
        kinds = {"remind": "reminder", "report": "report", "alert": "alert", "recap": "report"}
        said |= {kind for stem, kind in kinds.items() if any(w.startswith(stem) for w in said)}
        return said

    def fits(self, ref: str) -> bool:
        wanted = ref_words(ref)
        return bool(wanted) and wanted <= self.words()

    def reminder(self) -> str:
        """One line saying what still waits, for the end of a reply about something else."""
        if self.question is None:
            return (
                f"(Your draft for “{_short(self.request)}” still waits: say “yes” to activate "
                "it, or “cancel”.)"
            )
        return f"(Still waiting for your answer about “{_short(self.request)}”: {self.question})"


def _short(request: str) -> str:
    # a changed draft keeps its changes after the request, in brackets: the request is enough
    request = " ".join(re.sub(r"\s+\(.*\)\s*$", "", request).split())
    return request if len(request) <= 80 else f"{request[:77].rstrip()}…"


def reads_nothing(question: str | None) -> bool:
    """Whether the parser's answer to a request says it made nothing of it: such a request
    never waits for an answer (the next "it" is not about it)."""
    return (question or "").startswith(_NOTHING_MADE)


def waiting_of(tools: Toolset, actor: Actor, pending: dict[str, Any]) -> Waiting:
    if pending["kind"] == "draft":
        row = get_draft(tools.engine, actor.org_id, pending["draft_id"])
        return Waiting(row.request, None, str(row.draft.get("skill") or ""), pending["draft_id"])
    request = str(pending["request"])
    skill = read_skill(
        request, condition_days=None, business_days=None, event_type=None, relative_offset=None
    ).skill
    return Waiting(request, str(pending["question"]), skill or "", None)


@dataclass(frozen=True, slots=True)
class Sorted:
    """What a message is: detail | command | waiting | new | unread."""

    kind: str
    reading: Draft | None = None


def sort_message(
    waiting: Waiting,
    intent: Intent,
    text: str,
    *,
    fresh: Callable[[str], Draft],
    stored: Callable[[str], bool],
    spoken_since: bool = False,
) -> Sorted:
    """`fresh` reads a message as a request on its own; `stored` says whether a reference
    names a stored automation; `spoken_since`: a stored automation was spoken about after the
    request began waiting, and is the one in focus."""
    if intent.kind in ("yes", "no", "cancel") or is_undo(text):
        return Sorted("detail")
    if waiting.question and still_in_answer(waiting.question, "", text):
        return Sorted("detail")  # "still in Applied": the stage the question offered to list
    if intent.kind == "choose":  # "#6" alone shows #6; "9" or "the second one" answers
        return Sorted("command" if text.strip().startswith("#") else "detail")
    if intent.kind in _ELSEWHERE or (intent.kind == "create" and _ASKING.match(text.strip())):
        return Sorted("command")
    ref = intent.ref.strip()
    if ref and id_in(ref) is not None:
        return Sorted("command")
    # "when's the next one?" names no automation: while a request waits, it is that request
    named = bool(ref) and ref.lower() not in THIS and subject_of(ref) not in NEXT_ONE
    if named and intent.kind in _ABOUT_ONE | SHAPING and waiting.fits(ref):
        return Sorted("detail" if intent.kind in SHAPING else "waiting")
    if named and stored(ref):
        return Sorted("command")
    # "rename it to Monthly pipeline" names the waiting request, never asks for a new one
    renames = intent.kind == "edit" and intent.rest.lower().startswith("call it ")
    reading = fresh(text) if intent.kind in ("create", "edit") and not renames else None
    if reading is not None and reading.ok:
        return Sorted("new", reading)
    if intent.kind in _ABOUT_ONE:
        # "pause it", "who gets it?", "why didn't it run?": the waiting request is "it", unless
        # a stored automation was spoken about since ("pause the last one", then "resume it")
        return Sorted("command" if named or spoken_since else "waiting")
    if reading is not None and _OWN_REQUEST.match(text.strip()):
        return Sorted("unread" if reads_nothing(reading.question) else "new", reading)
    return Sorted("detail")


def about_waiting(
    tools: Toolset, actor: Actor, state: dict[str, Any], waiting: Waiting, intent: Intent
) -> Reply:
    """The answer to a command or question about the waiting request itself."""
    if intent.kind == "delete":
        state["pending"] = None
        if waiting.draft_id is not None:
            tools.cancel_draft(actor, waiting.draft_id)
            return Reply(
                f"Cancelled the draft for “{_short(waiting.request)}”; nothing was created.",
                "done",
            )
        return Reply(
            f"Dropped your request “{_short(waiting.request)}”; nothing was created.", "done"
        )
    if waiting.draft_id is not None and intent.kind in ("show", "next", "owner", "name", "others"):
        row = get_draft(tools.engine, actor.org_id, waiting.draft_id)
        return Reply(
            str(row.draft.get("summary") or ""),
            "draft",
            choices=draft_choices(row.draft),
            data=row.draft,
            draft_id=waiting.draft_id,
        )
    if waiting.draft_id is not None:
        return Reply(
            f"Your draft for “{_short(waiting.request)}” isn't active yet, so there is nothing "
            f"to {_VERBS.get(intent.kind, intent.kind)}: say “yes” to activate it, or “cancel”.",
            "draft",
            choices=draft_choices(get_draft(tools.engine, actor.org_id, waiting.draft_id).draft),
            draft_id=waiting.draft_id,
        )
    if intent.kind in ("show", "next", "owner", "name", "others"):
        return Reply(
            f"“{_short(waiting.request)}” isn't set up yet: it needs your answer first. "
            f"{waiting.question}",
            "question",
        )
    return Reply(
        f"“{_short(waiting.request)}” isn't set up yet, so there is nothing to "
        f"{_VERBS.get(intent.kind, intent.kind)}: it needs your answer first. {waiting.question}",
        "question",
    )


def unread(waiting: Waiting, reading: Draft) -> Reply:
    """A request of its own the parser could not read: said so; the waiting one stays."""
    question = reading.question or f"Could you say it another way, {EXAMPLE}?"
    return Reply(f"{question}\n{waiting.reminder()}", "question")


def replaces(request: str) -> str:
    return f"That replaces your earlier request (“{_short(request)}”)."


def replaced(reply: Reply, waiting: Waiting) -> Reply:
    note = replaces(waiting.request)
    reply.text = f"{note}\n{reply.text}" if reply.kind == "draft" else f"{note} {reply.text}"
    return reply


def with_reminder(reply: Reply, waiting: Waiting) -> Reply:
    reply.text = f"{reply.text}\n{waiting.reminder()}"
    return reply


def still_waiting(tools: Toolset, actor: Actor, state: dict[str, Any], reply: Reply) -> Reply:
    """`reply` with a line saying what still waits for an answer, if anything does."""
    pending: dict[str, Any] = state.get("pending") or {}
    kind = pending.get("kind")
    if kind in ("question", "draft"):
        return with_reminder(reply, waiting_of(tools, actor, pending))
    line = {
        "delete": f"(Still waiting: delete #{pending.get('automation_id')}? Say “yes” to "
        "delete it or “no” to keep it.)",
        "bulk": "(The change to several automations still waits: say “yes” to go ahead or "
        "“no” to leave them.)",
        "group": "(The change to several automations still waits: say “yes” to go ahead or "
        "“no” to leave them.)",
        "choose": "(Still waiting to know which automation you mean: say “the first one”, "
        "“the second one” or its number.)",
    }.get(str(kind))
    if line is None and state.get("asked"):
        line = f"(Still waiting for your answer: {state['asked']['question']})"
    if line is not None:
        reply.text = f"{reply.text}\n{line}"
    return reply
