"""A new request said in a conversation: read into a draft to confirm, or a question that waits
for its answer (the request read again once it is answered, with the changes said meanwhile)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.conversation.draft_turns import edit_pending
from assistant.conversation.previewing import preview_said
from assistant.conversation.reply import Choice, Reply, draft_choices
from assistant.conversation.turn import Turn
from assistant.conversation.unanswered import unanswerable
from assistant.conversation.waiting import reads_nothing, replaced, waiting_of
from assistant.language.job_words import job_choices
from models.limits import TEXT_MAX

if TYPE_CHECKING:
    from assistant.tools.toolset import Toolset

MESSAGE_MAX = TEXT_MAX  # what one message may say, and a request with its answers


class NewRequests:
    """The conversation engine's reading of new requests."""

    tools: Toolset
    # turns that asked Claude (only with ANTHROPIC_API_KEY; a fallback to the parser still
    # counts: the user waited for Claude)
    planner_turns: int

    def _create_then(
        self, turn: Turn, state: dict[str, Any], request: str, then: list[str]
    ) -> Reply:
        """The request read, then the changes noted while its question waited made to its
        draft (or kept for it, while it still asks)."""
        reply = self._create(turn, state, request)
        fresh = state.get("pending") or {}
        if then and fresh.get("kind") == "question":
            fresh["then"] = then
        elif then and reply.kind == "draft" and reply.draft_id is not None:
            for change in then:
                reply = edit_pending(self.tools, turn.actor, state, reply.draft_id, change)
        return reply

    def _create(self, turn: Turn, state: dict[str, Any], request: str) -> Reply:
        if len(request) > MESSAGE_MAX:
            # an answer is read together with the request it answers: the two may not grow
            # past what one message may say, or each answer would make the next read slower
            return Reply(
                f"With what you said before, that request is {len(request):,} characters "
                f"long; the limit is {MESSAGE_MAX:,}. Say it again in fewer words, or “cancel”.",
                "error",
            )
        if seen := preview_said(self.tools, turn.actor, state, request, turn.tz):
            return seen  # asked to see it now, not to automate it
        if unasked := unanswerable(self.tools, turn.actor, request):
            return unasked
        if self.tools.claude_reads(turn.actor):  # Claude plans this request
            self.planner_turns += 1
        draft = self.tools.draft_automation(
            turn.actor, request, tz=turn.tz, origin=turn.origin, via=turn.via
        )
        question = draft.question or draft.summary
        if draft.id is None and reads_nothing(question):
            # nothing of it was read: nothing waits for an answer, whatever waited still
            # waits, and "it" still means the automation spoken about
            return Reply(question, "error", data=draft.draft)
        # a new request while a question about another automation waited replaces it
        set_aside = state.pop("waiting", None)
        if draft.id is None:
            state["pending"] = {"kind": "question", "request": request, "question": question}
            offered = [Choice(title, title) for title in job_choices(question)]
            reply = Reply(question, "question", choices=offered, data=draft.draft)
        else:
            state["pending"] = {"kind": "draft", "draft_id": draft.id}
            reply = Reply(
                draft.summary,
                "draft",
                choices=draft_choices(draft.draft),
                data=draft.draft,
                draft_id=draft.id,
            )
        if set_aside:
            return replaced(reply, waiting_of(self.tools, turn.actor, set_aside))
        return reply
