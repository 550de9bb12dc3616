"""The REST API in plain words: understand a request, draft and confirm it, change an
automation or pause and resume many in words, ask why, and hold a conversation. Each endpoint
calls one tool-set method (or the conversation engine), so the permissions, questions and
refusals are those of Slack, MCP, the CLI and the dashboard.

Route functions are defined inside the router factory and read their real annotations (no
postponed annotations); FastAPI is imported there, never with this module."""

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError
from starlette.requests import Request
from starlette.responses import Response

from assistant.app import AppContext
from assistant.conversation import ConversationEngine, Turn
from assistant.http.api_edge import ERROR_RESPONSES, api_route, caller, record_id, tools
from assistant.tools.language import BulkResult, WhyView
from assistant.tools.toolset import Actor
from assistant.tools.views import AutomationView
from models.errors import SkilltickError
from worker.schedule.parse import load_zone

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

REQUEST = "every weekday at 8:30 send me my pipeline"
ORIGIN = {"channel": "email", "via": "api"}
# conversations of the REST API never share state with another door's (MCP, Slack, CLI)
KEY_PREFIX = "api:"


def said(text: str) -> str:
    """Words with something in them; a blank request is bad input, not a question."""
    if not text.strip():
        raise PydanticCustomError("blank", "Say what you want in words; it is empty.")
    return text


def known_zone(tz: str | None) -> str | None:
    """A zone the words are read in must exist: an unknown one is bad input, not a reply."""
    if tz is not None:
        try:
            load_zone(tz)
        except SkilltickError as exc:
            raise PydanticCustomError("unknown_zone", exc.message) from None
    return tz


class WordsRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"request": REQUEST, "tz": "Europe/London"}]},
    )

    request: str = Field(max_length=4000, description="What you want, in your own words.")
    tz: str | None = Field(
        default=None,
        max_length=64,
        description="IANA zone the words are said in; default: yours, else the organisation's.",
    )

    _said = field_validator("request")(said)
    _zone = field_validator("tz")(known_zone)


class DraftShape(BaseModel):
    """What a request would become: the JSON of `skilltick understand --json`."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "status": "ok",
                    "question": None,
                    "trigger": {"type": "cron"},
                    "schedule": {
                        "cron": "30 8 * * MON-FRI",
                        "rrule": None,
                        "once": None,
                        "tz": "Europe/London",
                    },
                    "event": None,
                    "skill": "pipeline-report",
                    "params": {},
                    "output": {"channel": "email", "to": ["me"]},
                    "next_runs": ["2026-03-02T08:30:00+00:00", "2026-03-03T08:30:00+00:00"],
                    "can_activate": True,
                    "summary": "Here's what I understood:\n- Trigger: ...\nConfirm to activate?",
                },
                {
                    "status": "question",
                    "question": "When should it run?",
                    "trigger": {"type": None},
                    "schedule": {"cron": None, "rrule": None, "once": None, "tz": "UTC"},
                    "event": None,
                    "skill": "",
                    "params": {},
                    "output": {"channel": None, "to": []},
                    "next_runs": [],
                    "can_activate": False,
                    "summary": "When should it run?",
                },
            ]
        },
    )

    status: str = Field(description="ok, or question: ask `question` and try again.")
    question: str | None = Field(description="The one thing to ask the requester.")
    trigger: dict[str, Any] = Field(description="type: cron, event or poll; and its details.")
    schedule: dict[str, Any] = Field(description="cron, rrule or once, and tz.")
    event: dict[str, Any] | None = Field(description="Event triggers: type and filter.")
    skill: str
    params: dict[str, Any]
    output: dict[str, Any] = Field(description="channel and to.")
    next_runs: list[str] = Field(description="The next runs, in the schedule's zone.")
    can_activate: bool = Field(description="False when the plan or the output would refuse it.")
    summary: str = Field(description="The read-back to show the requester.")


class SavedDraft(BaseModel):
    """A draft kept for 24 hours, to confirm by id; a question is kept nowhere (id null)."""

    id: int | None = Field(description="Confirm with POST /api/drafts/{id}/confirm.")
    status: str = Field(description="ok, or question.")
    question: str | None
    summary: str
    can_activate: bool = Field(description="Whether confirming it as it is would be accepted.")
    draft: DraftShape


class ChangeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"request": "make it 9am"}]}
    )

    request: str = Field(max_length=4000, description="The change, e.g. 'move it to 9am'.")

    _said = field_validator("request")(said)


class BulkRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"request": "pause all my automations until Monday", "confirm": False}]
        },
    )

    request: str = Field(max_length=4000, description="e.g. 'resume everything paused today'.")
    confirm: bool = Field(default=False, description="false (default): only say what it would do.")

    _said = field_validator("request")(said)


class ConversationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"message": REQUEST, "conversation": "pipeline"},
                {"message": "make it 9", "conversation": "pipeline"},
                {"message": "yes", "conversation": "pipeline"},
            ]
        },
    )

    message: str = Field(
        max_length=4000,
        description="Your words, as said: a request, an answer to the last question ('8am', "
        "'yes', 'the second one') or a command ('pause it until Monday').",
    )
    conversation: str = Field(
        default="default",
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="Which of your conversations this continues; each remembers its pending "
        "question, draft or confirmation.",
    )
    tz: str | None = Field(default=None, max_length=64, description="IANA zone you speak in.")

    _said = field_validator("message")(said)
    _zone = field_validator("tz")(known_zone)


class ChoiceView(BaseModel):
    label: str
    say: str = Field(description="The message to send to choose it.")
    style: str | None = Field(description="primary, danger or null.")


class ReplyView(BaseModel):
    text: str = Field(description="What to show the person.")
    kind: str = Field(
        description="question, draft or confirm: waiting for an answer; choose: several "
        "matched; done: something changed; list or info: nothing changed; error: refused or "
        "not understood, nothing changed."
    )
    choices: list[ChoiceView] = Field(description="Answers it offers, e.g. Activate / Cancel.")
    data: Any = Field(description="A draft's JSON, a listing, a run...")
    automation_id: int | None
    draft_id: int | None


class ConversationReply(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "conversation": "pipeline",
                    "reply": {
                        "text": "Here's what I understood: ... Confirm to activate?",
                        "kind": "draft",
                        "choices": [
                            {"label": "Activate", "say": "yes", "style": "primary"},
                            {"label": "Cancel", "say": "cancel", "style": "danger"},
                        ],
                        "data": None,
                        "automation_id": None,
                        "draft_id": 12,
                    },
                }
            ]
        }
    )

    conversation: str
    reply: ReplyView


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
        return SavedDraft(
            id=found.id,
            status=found.status,
            question=found.question,
            summary=found.summary,
            can_activate=bool(found.draft.get("can_activate")),
            draft=DraftShape.model_validate(found.draft),
        )

    @words.post("/drafts/{draft_id}/confirm", response_model=AutomationView, tags=["plain words"])
    def confirm_draft(request: Request, me: Me, draft_id: Id) -> AutomationView:
        """Create the automation the draft describes (its requester or an admin). Confirming
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
    )
    def change_in_words(
        request: Request, me: Me, automation_id: Id, body: ChangeRequest
    ) -> AutomationView:
        """Change an automation in words: "move it to 8am", "weekdays only", "email it to
        sam@example.com instead". Words that are unclear change nothing (422 with the
        question)."""
        return tools(request).update_in_words(me, automation_id, body.request)

    @words.post("/bulk", response_model=BulkResult, tags=["plain words"])
    def bulk(request: Request, me: Me, body: BulkRequest) -> BulkResult:
        """Pause or resume many automations in words ("pause all my automations until
        Monday", admins: "resume everything of Dana's"). Without confirm it only says which it
        would change (done false); members act on their own only."""
        return tools(request).bulk(me, body.request, confirm=body.confirm)

    @words.get("/automations/{automation_id}/why", response_model=WhyView, tags=["plain words"])
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
