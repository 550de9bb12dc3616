"""The conversation engine shared by every door (terminal, Slack, MCP, dashboard): one message
in the context of one person's conversation in one place, one Reply out. The state between
messages (pending question, draft, confirmation or choice; the automation last spoken about;
the last listing) lives in the database for the conversation TTL, so a short answer like "8am",
"yes" or "the second one" completes what it answers, in whatever process receives it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from assistant.conversation import words
from assistant.conversation.actions import SAID_IN, act, retry_run, run_id_in
from assistant.conversation.answers import completed
from assistant.conversation.asked import answer_question
from assistant.conversation.choosing import ask_again
from assistant.conversation.confirmations import answer_confirmation
from assistant.conversation.draft_turns import (
    CANCELLED,
    answer_draft,
    answers_a_draft,
    edit_pending,
    settle_elsewhere,
)
from assistant.conversation.focus_params import param_change_in_focus
from assistant.conversation.group import ask_group, group_change
from assistant.conversation.holiday_talk import holiday_said
from assistant.conversation.intents import LAST_RUN, Intent, classify
from assistant.conversation.listing import bulk_preview, listing
from assistant.conversation.new_requests import MESSAGE_MAX, NewRequests
from assistant.conversation.other_one import the_other_one
from assistant.conversation.plan_talk import plan_said
from assistant.conversation.previewing import offer_taken, preview_said, see_instead, unoffered
from assistant.conversation.recipients import noted_recipients
from assistant.conversation.refer import ABOUT_ONE, THIS, id_in, resolve
from assistant.conversation.reply import Reply
from assistant.conversation.run_tally import tally_said
from assistant.conversation.small_talk import pleasantry, small_talk
from assistant.conversation.targets import chosen_without_question, on_target
from assistant.conversation.team_talk import team_answer, team_said
from assistant.conversation.turn import Turn
from assistant.conversation.unanswered import access_wish, cant_answer, unanswerable
from assistant.conversation.undo import (
    just_activated,
    just_changed,
    undo_last,
)
from assistant.conversation.waiting import (
    about_waiting,
    replaced,
    sort_message,
    still_waiting,
    unread,
    waiting_of,
    with_reminder,
)
from assistant.language.contractions import with_apostrophes
from assistant.language.edit_words import is_undo
from assistant.language.stage_age_words import still_in_answer
from assistant.language.unit_words import spelled_out
from models.errors import SkilltickError
from models.store.conversations import load_state, save_state
from worker.schedule.parse import load_zone

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

# intents that only read: a pending question or confirmation survives them
READ_ONLY = {
    *("list", "show", "next", "owner", "name", "help", "history", "why", "backtest", "tally"),
    "others",
    "audit",
    "last",
}
# said while candidates are being chosen, they ask again (a retry names its run)
TARGETED = ABOUT_ONE - {"retry"}


class ConversationEngine(NewRequests):
    """Messages answered in the context of their conversation; new requests: NewRequests."""

    def __init__(self, tools: Toolset, *, ttl: timedelta | None = None) -> None:
        self.tools = tools
        self.ttl = ttl or timedelta(hours=tools.settings.core.conversation_ttl_hours)
        self.planner_turns = 0

    # --- state ----------------------------------------------------------------------------

    def state(self, actor: Actor, key: str) -> dict[str, Any]:
        return load_state(
            self.tools.engine,
            org_id=actor.org_id,
            user_id=actor.user_id,
            key=key,
            now=self.tools.clock(),
        )

    def settle_draft(
        self, actor: Actor, key: str, draft_id: int, automation_id: int | None
    ) -> None:
        """A draft was activated or cancelled outside the conversation (a button): stop
        waiting for it, and speak of what it created."""
        state = self.state(actor, key)
        if (state.get("pending") or {}).get("draft_id") == draft_id:
            state["pending"] = None
        if automation_id is not None:
            state["focus"] = automation_id
        save_state(
            self.tools.engine,
            org_id=actor.org_id,
            user_id=actor.user_id,
            key=key,
            state=state,
            now=self.tools.clock(),
            ttl=self.ttl,
        )

    def handle(self, turn: Turn, message: str) -> Reply:
        """Answer `message`; state is saved even when the answer is a refusal."""
        if not message.strip():
            return Reply("Say what you'd like; “help” lists what I understand.", "error")
        if len(message) > MESSAGE_MAX:
            return Reply("That message is too long; say it in under 4,000 characters.", "error")
        if turn.tz and turn.tz != turn.actor.timezone:
            # the zone the person speaks in reads every time word of the turn: a pause "until
            # Wednesday" ends where a schedule they type would fire
            try:
                load_zone(turn.tz)
            except SkilltickError as exc:
                return Reply(exc.message, "error")
            turn = replace(turn, actor=replace(turn.actor, timezone=turn.tz))
        state = self.state(turn.actor, turn.key)
        cancelled = settle_elsewhere(self.tools, turn.actor, state)
        state[SAID_IN] = {"slack_channel": turn.origin.get("slack_channel"), "via": turn.via}
        # "24h", "2 wks", "didnt": every rule of the turn reads them spelled out
        message = with_apostrophes(spelled_out(message))
        intent = classify(message)
        try:
            if cancelled and answers_a_draft(intent, message):
                reply = Reply(CANCELLED, "error")  # never drafted again from the change
            elif intent.kind not in ("yes", "no", "cancel") and (talk := small_talk(message)):
                # a pleasantry answers nothing and asks for nothing: what waits still waits
                reply = pleasantry(self.tools, turn.actor, talk, just_activated(state))
                reply = still_waiting(self.tools, turn.actor, state, reply)
            else:
                reply = self._dispatch(turn, state, intent, message.strip())
        except SkilltickError as exc:
            reply = Reply(exc.message, "error")
        state.pop(SAID_IN, None)  # this turn's, never saved
        if state.get("waiting") and not state.get("pending"):
            # what the last answer's question set aside waits again
            state["pending"] = state.pop("waiting")
            reply = with_reminder(reply, waiting_of(self.tools, turn.actor, state["pending"]))
        if reply.automation_id is not None and reply.kind != "error":
            state["focus"] = reply.automation_id
        state["turns"] = int(state.get("turns", 0)) + 1
        save_state(
            self.tools.engine,
            org_id=turn.actor.org_id,
            user_id=turn.actor.user_id,
            key=turn.key,
            state=state,
            now=self.tools.clock(),
            ttl=self.ttl,
        )
        return reply

    # --- deciding -------------------------------------------------------------------------

    def _dispatch(self, turn: Turn, state: dict[str, Any], intent: Intent, text: str) -> Reply:
        asked = state.pop("asked", None)  # a change that asked "7am or 7pm?" or "which way?"
        if asked and (change := completed(asked["question"], asked["change"], text)):
            return self._change_again(turn.actor, state, asked, change)
        if other := the_other_one(self.tools, turn.actor, state, text):
            return other  # "no, the other one" after "Which one?"
        pending: dict[str, Any] | None = state.get("pending")
        # after a preview, "every Monday at 9am" makes it recurring (that one next message)
        taken = offer_taken(state, text, intent.kind, turn.actor, self.tools.clock())
        if taken and not pending:
            return self._create(turn, state, taken)
        if (pending or {}).get("kind") == "team" and (
            answered := team_answer(self.tools, turn.actor, state, pending or {}, intent, text)
        ):
            return answered
        if (pending or {}).get("kind") not in ("question", "draft") and (
            team := team_said(self.tools, turn.actor, state, text)
        ):
            return team
        if intent.kind in ("create", "recipients") and (
            (unasked := access_wish(self.tools, turn.actor, text))
            or (  # a question is no answer to the one waiting, which still waits
                intent.kind == "create"
                and (pending or {}).get("kind") == "question"
                # "still in Applied" takes what the question offered
                and not still_in_answer((pending or {}).get("question") or "", "", text)
                and (unasked := unanswerable(self.tools, turn.actor, text))
            )
        ):
            return unasked
        if pending and pending["kind"] in ("question", "draft"):
            return self._while_waiting(turn, state, pending, intent, text)
        if pending:
            answered = self._answer_pending(turn, state, pending, intent, text)
            if answered is not None:
                return answered
            if intent.kind not in READ_ONLY or pending["kind"] == "choose":
                # not an answer: a read survives a draft or confirmation, never a question
                state["pending"] = None
            if pending["kind"] == "choose" and (
                again := ask_again(self.tools, turn.actor, state, pending, intent, TARGETED)
            ):
                return again
        return self._command(turn, state, intent, text)

    def _while_waiting(
        self, turn: Turn, state: dict[str, Any], pending: dict[str, Any], intent: Intent, text: str
    ) -> Reply:
        """A message while a request waits (a question or a draft): what it is is decided
        first; only a detail changes the waiting request."""
        actor = turn.actor
        waiting = waiting_of(self.tools, actor, pending)
        if intent.kind == "skip" and not intent.ref:
            intent = Intent("edit", rest=text)  # "skip friday" takes a day out of the request
        what = sort_message(
            waiting,
            intent,
            text,
            fresh=lambda said: self.tools.understand(actor, said, turn.tz, via=turn.via, llm=False),
            stored=lambda ref: bool(
                resolve(ref, self.tools.readable_automations(actor), None, actor.email).ids
            ),
            spoken_since=state.get("aside") == [state.get("focus"), _identity(pending)],
        )
        if what.kind == "detail":
            state.pop("aside", None)  # the waiting request is spoken about again
            if intent.ref.lower() not in ("", *THIS) and intent.kind in ("edit", "recipients"):
                intent = replace(intent, ref="it")  # "send the reminder to Slack"
            if intent.kind == "recipients" and waiting.question is not None:
                return noted_recipients(self.tools, actor, state, pending, intent.rest, text)
            answered = self._answer_pending(turn, state, pending, intent, text)
            if answered is not None:
                return answered
        elif what.kind == "waiting":
            return about_waiting(self.tools, actor, state, waiting, intent)
        elif what.kind == "unread" and what.reading is not None:
            return unread(waiting, what.reading)
        elif what.kind == "new" and (
            seen := preview_said(self.tools, actor, state, text, turn.tz, or_else=False)
        ):
            state.pop("previewed", None)  # a schedule said next is for the waiting request
            return with_reminder(unoffered(seen), waiting)
        elif what.kind == "new" and (unasked := unanswerable(self.tools, actor, text)):
            return unasked  # a question: the waiting request still waits
        elif what.kind == "new":
            if waiting.draft_id is not None:
                self.tools.cancel_draft(actor, waiting.draft_id)
            state["pending"] = None
            return replaced(self._create(turn, state, text), waiting)
        # about a stored automation: answered, the waiting request kept as it was (set aside
        # while the answer's own question, "delete #6?", waits)
        state["pending"] = None
        try:
            if intent.kind == "create":  # a listing or question not read: no new request
                reply = cant_answer(self.tools, actor, text)
            else:
                reply = self._command(turn, state, intent, text)
        except SkilltickError as exc:
            reply = Reply(exc.message, "error")
        if state.pop("previewed", None):  # a schedule said next is for the waiting request
            reply = unoffered(reply)
        if reply.automation_id is not None and reply.kind != "error":
            # spoken about while this request waits: the next "it" is this automation
            state["aside"] = [reply.automation_id, _identity(pending)]
        if state.get("pending") is None:
            state["pending"] = pending
        else:
            state["waiting"] = pending
        return with_reminder(reply, waiting)

    def _command(self, turn: Turn, state: dict[str, Any], intent: Intent, text: str) -> Reply:
        """A message that answers nothing pending."""
        if (said := group_change(text)) and (
            group := ask_group(self.tools, turn.actor, state, *said)
        ):
            return group
        if is_undo(text) or (intent.kind == "cancel" and just_changed(state)):
            # "actually cancel that" right after a change takes that change back
            return undo_last(self.tools, turn.actor, state)
        if intent.kind in ("yes", "no", "cancel"):
            return Reply(
                "Nothing is waiting for your answer here; “help” lists what I can do.", "error"
            )
        if intent.kind == "help":
            return Reply(words.HELP, "info")
        if plan := plan_said(self.tools, turn.actor, text):
            return plan
        if holidays := holiday_said(self.tools, turn.actor, text, turn.tz):
            return holidays
        if intent.kind == "list":
            return listing(self.tools, turn.actor, state, intent.rest)
        if intent.kind == "bulk":
            return bulk_preview(self.tools, turn.actor, state, text)
        if intent.kind == "tally" and not intent.ref:
            return tally_said(self.tools, turn.actor, None, intent.rest)
        if intent.kind == "choose":
            return chosen_without_question(self.tools, turn.actor, state, intent)
        if (
            intent.kind == "retry"
            and intent.rest != LAST_RUN
            and (run := run_id_in(intent.ref) or id_in(intent.ref))
        ):
            return retry_run(self.tools, turn.actor, run)
        if intent.kind == "edit" and not intent.ref and state.get("focus") is None:
            return self._create(turn, state, text)
        if edit := param_change_in_focus(self.tools, turn.actor, state, intent, text):
            intent = edit  # "flag people not contacted for 3 days" of the report in focus
        if intent.kind in ("show", "test") and (
            seen := see_instead(self.tools, turn.actor, state, intent.ref, text, turn.tz)
        ):
            return seen  # "show me my pipeline now": the data, not the automation
        if intent.kind in ABOUT_ONE:
            return on_target(self.tools, turn.actor, state, intent)
        return self._create(turn, state, text)

    def _answer_pending(
        self, turn: Turn, state: dict[str, Any], pending: dict[str, Any], intent: Intent, text: str
    ) -> Reply | None:
        """The answer to what is pending, or None when the message is about something else."""
        kind, actor = pending["kind"], turn.actor
        if kind in ("question", "draft") and re.fullmatch(r"\s*\d{1,2}\s*", text):
            # "9" answering "when?" or changing a draft is an hour, as "at 9" would be
            intent = Intent("edit", rest=f"at {text.strip()}")
            text = intent.rest
        if intent.kind == "cancel" or (intent.kind == "no" and kind != "question"):
            state["pending"] = None
            if kind == "draft":
                self.tools.cancel_draft(actor, pending["draft_id"])
                return Reply("Cancelled; nothing was created.", "done")
            if kind == "question":
                return Reply("Dropped that request; nothing was created.", "done")
            return Reply("OK, nothing changed.", "done")
        if kind == "question":
            today = self.tools.clock().astimezone(ZoneInfo(actor.timezone or "UTC")).date()
            return answer_question(
                state,
                pending,
                intent,
                text,
                today,
                lambda said: self._create_then(turn, state, said, pending.get("then") or []),
            )
        if kind == "draft":
            return answer_draft(self.tools, actor, state, pending, intent, text)
        return answer_confirmation(self.tools, actor, state, pending, intent, text)

    def _change_again(
        self, actor: Actor, state: dict[str, Any], asked: dict[str, Any], change: str
    ) -> Reply:
        """The change that asked "7am or 7pm?", with the answer in it."""
        if "draft_id" not in asked:
            return act(self.tools, actor, "edit", asked["automation_id"], change, state)
        if (state.get("pending") or {}).get("draft_id") != asked["draft_id"]:
            return Reply("That draft is no longer waiting; say the request again.", "error")
        return edit_pending(self.tools, actor, state, asked["draft_id"], change)


def _identity(pending: dict[str, Any]) -> list[Any]:
    """What tells one waiting request from the next (stored as JSON with the state)."""
    return [pending.get("draft_id"), pending.get("request"), pending.get("question")]
