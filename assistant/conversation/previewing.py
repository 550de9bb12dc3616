"""Answers now: "show me my pipeline", "who is in Offer right now?", "how many candidates
applied this week?" render the skill those words name once, for the asker only (a preview:
nothing sent, stored or scheduled), then offer to make it recurring in one line. The next
message completes the offer: a schedule ("every Monday at 9am") drafts the same request with
it, "yes" asks when. The state keeps what was previewed (`previewed`) for that one message."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from assistant.conversation.refer import THIS, id_in, resolve, subject_of
from assistant.conversation.reply import Reply
from assistant.language.clock_words import Text
from assistant.language.preview_words import (
    SeeWish,
    asks_about_one_person,
    recurring_request,
    says_when,
    wish_to_see,
)
from assistant.language.request_reading import read_schedule
from assistant.language.words import SKILL_LABELS

if TYPE_CHECKING:
    from assistant.tools.previews import PreviewView
    from assistant.tools.toolset import Actor, Toolset

SHOWN_AT_MOST = 3000  # characters of the output shown in the chat
# skills one would look at every working day; the others once a week
_DAILY = frozenset({"followups", "stale-candidate-sla", "new-candidate-alert", "sourcing-recap"})
# what may stand around a schedule that answers the offer ("ok, every Monday at 9am please")
_ONLY_FILLER = re.compile(
    r"[\s,.!]*(?:(?:ok|okay|sure|yes|yeah|yep|please|then|and|make\s+it|do\s+it|send\s+it|"
    r"run\s+it|let's\s+do|how\s+about)\b[\s,.!]*)*"
)
# words that name an automation rather than the data it reports on ("my pipeline report")
_AUTOMATION_WORDS = re.compile(
    r"\b(?:reports?|alerts?|reminders?|recaps?|digests?|summar(?:y|ies)|automations?|"
    r"briefings?|notifications?|workflows?|sla|list\s+of)\b"
)
CAN_SHOW = (
    "I can't show that; I can show your pipeline, who is in a stage, new applicants, open "
    "roles, follow-ups or hiring metrics now: say “show me my pipeline” or “who is in Offer?”."
)


def offer_line(skill: str) -> str:
    if skill in _DAILY:
        return "Want this every weekday? Say “every weekday at 9am”."
    return "Want this every week? Say “every Monday at 9am”."


def wish_said(tools: Toolset, actor: Actor, text: str) -> SeeWish | None:
    """The wish to see data now that `text` says, with no schedule or event in it."""
    wish = wish_to_see(text)
    now = tools.clock()
    if wish is None or says_when(wish, actor.timezone or "UTC", now):
        return None
    return wish


def preview_said(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    text: str,
    tz: str | None,
    *,
    or_else: bool = True,
) -> Reply | None:
    """The preview `text` asks for, None when it asks for none. `or_else`: a wish no skill
    renders (and a question about one person's details) is told what can be shown instead;
    otherwise it is left to the caller (None)."""
    wish = wish_said(tools, actor, text)
    if wish is None:
        return Reply(CAN_SHOW, "error") if or_else and asks_about_one_person(text) else None
    view = tools.preview(actor, wish.what, tz)
    if view is None:
        return Reply(CAN_SHOW, "error") if or_else else None
    state["previewed"] = {"what": wish.what, "skill": view.skill, "params": view.params}
    return shown(view)


def see_instead(
    tools: Toolset, actor: Actor, state: dict[str, Any], ref: str, text: str, tz: str | None
) -> Reply | None:
    """ "show me my pipeline" read as the data rather than an automation: when it says "now"
    (or asks what something looks like), when it names the data only ("my pipeline", "the
    open roles": no "report", "alert", ... and no automation's whole name), or when no
    automation it may read fits the words; never for "it" or "#5"."""
    subject = subject_of(ref)
    if subject in THIS or id_in(subject) is not None:
        return None
    if asks_about_one_person(text):  # "show me Lena Park's email": no report says it
        return Reply(CAN_SHOW, "error")
    wish = wish_said(tools, actor, text)
    if wish is None:
        return None
    if not wish.now:
        views = tools.readable_automations(actor)
        named = re.sub(r"^(?:the|my|our)\s+", "", subject)
        by_name = any(v.name.lower().strip() == named for v in views)
        if (by_name or _AUTOMATION_WORDS.search(subject)) and resolve(
            ref, views, state.get("focus"), actor.email
        ).ids:
            return None  # "show my pipeline report": the automation, as before
    return preview_said(tools, actor, state, text, tz, or_else=False)


def unoffered(reply: Reply) -> Reply:
    """A preview without its offer (another request waits for the next answer)."""
    if reply.private and "\n" in reply.text:
        reply.text = reply.text.rsplit("\n", 1)[0]
    return reply


def shown(view: PreviewView) -> Reply:
    """The preview in the chat: what it is, its output, and the offer to make it recurring."""
    label = SKILL_LABELS.get(view.skill, view.skill)
    head = f"Preview of {label} as of now, for you only; nothing was sent or saved."
    if view.subject:  # what it counts first: "SLA: 2 candidates in Offer for 1+ business days"
        head = f"{view.subject}. {head}"
    if view.status == "failed":
        head = f"I couldn't make {label} now: {view.output}"
    if view.status == "skipped":  # the skill had nothing to list
        head = (
            f"{label[:1].upper()}{label[1:]} has nothing to show right now: {view.output}. "
            "Nothing was sent or saved."
        )
    body = view.output if view.status == "completed" else ""
    if len(body) > SHOWN_AT_MOST:
        body = body[:SHOWN_AT_MOST].rstrip() + "\n…"
    text = "\n".join(part for part in (head, body) if part)
    return Reply(
        f"{text}\n{offer_line(view.skill)}",
        "info",
        data=view.model_dump(mode="json"),
        private=True,
    )


def offer_taken(
    state: dict[str, Any], text: str, kind: str, actor: Actor, now: datetime
) -> str | None:
    """The request that takes up the offer after a preview (the offer lasts one message: it
    leaves the state here): the previewed words with the schedule `text` says ("every Monday
    at 9am"), or without one after "yes" (so the request asks when); None when `text` is no
    answer to the offer."""
    what = str((state.pop("previewed", None) or {}).get("what") or "")
    if not what:
        return None
    if kind == "yes":
        return f"send me {what}"
    said, tz = Text(text), actor.timezone or "UTC"
    reading = read_schedule(said, tz, now.astimezone(ZoneInfo(tz)), None)
    when = reading.when.schedule is not None or reading.when.time_alone is not None
    if not when or reading.events.event_type or not _ONLY_FILLER.fullmatch(said.low):
        return None  # no schedule, or a request of its own ("... send me the open roles")
    return recurring_request(what, text)
