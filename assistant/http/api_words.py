"""The REST API in plain words: understand a request, draft and confirm it, change an
automation or pause and resume many in words, ask why, and hold a conversation. Each endpoint
calls one tool-set method (or the conversation engine), so the permissions, questions and
refusals are those of Slack, MCP, the CLI and the dashboard.

Route functions are defined inside the router factory and read their real annotations (no
postponed annotations); FastAPI is imported there, never with this module."""

from typing import TYPE_CHECKING, Annotated, Any

from starlette.requests import Request
from starlette.responses import Response

from assistant.app import AppContext
from assistant.conversation import ConversationEngine, Turn
from assistant.http.api_edge import ERROR_RESPONSES, api_route, caller, record_id, tools
from assistant.http.api_words_bodies import (
    AUTOMATION_EXAMPLE,
    BULK_EXAMPLE,
    WHY_EXAMPLE,
    BulkRequest,
    ChangeRequest,
    ConversationReply,
    ConversationRequest,
    DraftShape,
    PauseRequest,
    SavedDraft,
    WordsRequest,
    WorkflowRequest,
    example,
)
from assistant.tools.bulk_tools import BulkResult
from assistant.tools.drafts import DraftView
from assistant.tools.run_questions import WhyView
from assistant.tools.toolset import Actor
from assistant.tools.views import AutomationView

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

ORIGIN = {"channel": "email", "via": "api"}
# conversations of the REST API never share state with another door's (MCP, Slack, CLI)
KEY_PREFIX = "api:"


def _router(conversations: ConversationEngine) -> "APIRouter":
    """The plain-words routes under /api; `conversations` answers POST /api/conversation."""
    from fastapi import APIRouter, Query

    Id = Annotated[int, record_id()]
    Me = Annotated[Actor, caller()]
    words = APIRouter(prefix="/api", route_class=api_route(), responses=ERROR_RESPONSES)

    @words.post("/understand", response_model=DraftShape, tags=["plain words"])
    def understand(request: Request, me: Me, body: WordsRequest) -> dict[str, Any]:
        """What a request in plain words would become, keeping and creating nothing: status
        ok with its trigger, schedule, skill, params, output and next runs, or status
        question with the one question to ask (a 200, not an error)."""
        return tools(request).understand(me, body.request, body.tz).as_json()

    @words.post(
        "/drafts",
        response_model=SavedDraft,
        status_code=201,
        tags=["plain words"],
        responses={200: {"model": SavedDraft, "description": "A question; nothing was kept."}},
    )
    def create_draft(
        request: Request, response: Response, me: Me, body: WordsRequest
    ) -> SavedDraft:
        """Understand a request and keep it as a draft for 24 hours (201): show its summary,
        then confirm it by id. A request that needs an answer first is a 200 with the
        question and no id: ask it again with the answer."""
        found = tools(request).draft_automation(me, body.request, tz=body.tz, origin=dict(ORIGIN))
        if found.id is None:
            response.status_code = 200
        return _saved(found)

    @words.post("/workflows", response_model=SavedDraft, status_code=201, tags=["plain words"])
    def create_workflow_draft(request: Request, me: Me, body: WorkflowRequest) -> SavedDraft:
        """Several typed steps on one event, kept as one workflow's draft for 24 hours (201):
        show its summary (a line per step), then confirm it as any draft. A trigger that is
        not an event, or a step creating it would refuse, is a 422 naming it."""
        found = tools(request).draft_workflow(
            me, body.when, list(body.steps), tz=body.tz, origin=dict(ORIGIN)
        )
        return _saved(found)

    @words.post(
        "/drafts/{draft_id}/confirm",
        response_model=AutomationView,
        tags=["plain words"],
        responses={200: example(AUTOMATION_EXAMPLE)},
    )
    def confirm_draft(request: Request, me: Me, draft_id: Id) -> AutomationView:
        """Create the automation the draft describes (its requester alone). Confirming
        it again answers the same automation; a cancelled or expired draft is refused."""
        return tools(request).confirm_draft(me, draft_id)

    @words.delete(
        "/drafts/{draft_id}", status_code=204, tags=["plain words"], response_class=Response
    )
    def cancel_draft(request: Request, me: Me, draft_id: Id) -> Response:
        """Drop a draft you do not want; nothing is created. A confirmed draft is refused:
        delete its automation instead."""
        tools(request).cancel_draft(me, draft_id)
        return Response(status_code=204)

    @words.post(
        "/automations/{automation_id}/change",
        response_model=AutomationView,
        tags=["plain words"],
        responses={200: example(AUTOMATION_EXAMPLE)},
    )
    def change_in_words(
        request: Request, me: Me, automation_id: Id, body: ChangeRequest
    ) -> AutomationView:
        """Change an automation in words: "move it to 8am", "weekdays only", "email it to
        sam@example.com instead". Words that are unclear change nothing (422 with the
        question)."""
        return tools(request).update_in_words(me, automation_id, body.request)

    @words.post(
        "/automations/{automation_id}/pause-until",
        response_model=AutomationView,
        tags=["plain words"],
        responses={200: example(AUTOMATION_EXAMPLE)},
    )
    def pause_until(
        request: Request, me: Me, automation_id: Id, body: PauseRequest
    ) -> AutomationView:
        """Pause until a time said in words ("Monday", "the end of the month", "for 3
        hours"), in your time zone; it resumes by itself then. Words that are unclear or a time
        past change nothing (422 saying why)."""
        return tools(request).pause_until(me, automation_id, body.until)

    @words.post(
        "/bulk",
        response_model=BulkResult,
        tags=["plain words"],
        responses={200: example(BULK_EXAMPLE)},
    )
    def bulk(request: Request, me: Me, body: BulkRequest) -> BulkResult:
        """Pause or resume many automations in words ("pause all my automations until
        Monday", admins: "resume everything of Dana's"). Without confirm it only says which it
        would change (done false); members act on their own only."""
        return tools(request).bulk(me, body.request, confirm=body.confirm)

    @words.get(
        "/automations/{automation_id}/why",
        response_model=WhyView,
        tags=["plain words"],
        responses={200: example(WHY_EXAMPLE)},
    )
    def why(
        request: Request,
        me: Me,
        automation_id: Id,
        question: Annotated[
            str, Query(max_length=500, description="e.g. 'why didn't it run on Monday?'")
        ] = "",
    ) -> WhyView:
        """Why it did not fire, or why it failed, in plain words from its runs."""
        return tools(request).why(me, automation_id, question)

    @words.post("/conversation", response_model=ConversationReply, tags=["plain words"])
    def converse(request: Request, me: Me, body: ConversationRequest) -> ConversationReply:
        """Talk to skilltick as in Slack: each of your conversations remembers its pending
        question, draft or confirmation, so "make it 9" or "yes" completes the message before.
        Every reply is a 200, a refusal included (kind error, nothing changed); nothing
        destructive happens without your "yes"."""
        turn = Turn(me, KEY_PREFIX + body.conversation, tz=body.tz, origin=dict(ORIGIN))
        reply = conversations.handle(turn, body.message)
        return ConversationReply.model_validate(
            {"conversation": body.conversation, "reply": reply.as_json()}
        )

    return words


def install(app: "FastAPI", ctx: AppContext) -> None:
    """Add the plain-words routes to the app."""
    app.include_router(_router(ConversationEngine(ctx.tools)))


def _saved(found: DraftView) -> SavedDraft:
    """A kept draft as the API answers it, whichever request made it."""
    return SavedDraft(
        id=found.id,
        status=found.status,
        question=found.question,
        summary=found.summary,
        can_activate=bool(found.draft.get("can_activate")),
        draft=DraftShape.model_validate(found.draft),
    )
