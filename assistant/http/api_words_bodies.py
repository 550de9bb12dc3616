"""The bodies and answers of the REST API's plain-words endpoints, with the examples the OpenAPI
document shows. Answers that are the tool set's own models (an automation, a bulk result, an
explanation) get their examples here too."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from assistant.tools.workflows import WorkflowStep
from models.errors import SkilltickError
from worker.schedule.parse import load_zone

REQUEST = "every weekday at 8:30 send me my pipeline"


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


class WorkflowRequest(BaseModel):
    """Several steps on one event, typed: one workflow, kept as a draft to confirm."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "when": "when a candidate reaches Offer",
                    "steps": [
                        {
                            "type": "send_email",
                            "to": "hiring_manager",
                            "subject": "{{ candidate.name }} is at Offer",
                            "body": "Please approve the offer for {{ job.title }}.",
                        },
                        {"type": "create_task", "title": "Prepare the contract", "due_in_days": 2},
                    ],
                }
            ]
        },
    )

    when: str = Field(max_length=500, description="The event it runs on, in words.")
    steps: list[WorkflowStep] = Field(min_length=1, max_length=20, description="Run in order.")
    tz: str | None = Field(
        default=None,
        max_length=64,
        description="IANA zone the words are said in; default: yours, else the organisation's.",
    )

    _said = field_validator("when")(said)
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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "status": "ok",
                    "question": None,
                    "summary": "Here's what I understood:\n- Trigger: At 08:30 AM, Monday "
                    "through Friday (Europe/London)\n...\nConfirm to activate?",
                    "can_activate": True,
                    "draft": {"status": "ok", "skill": "pipeline-report", "...": "..."},
                }
            ]
        }
    )

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


class PauseRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"until": "until Monday"}]}
    )

    until: str = Field(
        max_length=200,
        description="When it starts again, in words: 'Monday', 'March 3rd at 9am', 'the end of "
        "the month', 'for 3 hours'.",
    )

    _said = field_validator("until")(said)


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


BULK_EXAMPLE = {
    "action": "pause",
    "done": False,
    "message": "This would pause 2 automations: #1 Weekly pipeline report, #9 Pipeline "
    "report, weekdays 9:00. Confirm to go ahead.",
    "automation_ids": [1, 9],
}
AUTOMATION_EXAMPLE = {
    "id": 9,
    "name": "Pipeline report, weekdays 9:00",
    "owner_email": "dana.recruiter@demo.skilltick.local",
    "skill": "pipeline-report",
    "params": {"scope": "mine", "period": "daily"},
    "trigger_type": "cron",
    "trigger": "At 09:00 AM, Monday through Friday (America/Los_Angeles)",
    "cron": "0 9 * * 1-5",
    "rrule": None,
    "once": None,
    "timezone": "America/Los_Angeles",
    "event_type": None,
    "output_channel": "email",
    "to": ["me"],
    "enabled": True,
    "status": "idle",
    "paused_reason": None,
    "paused_until": None,
    "consecutive_failures": 0,
    "misfire_policy": "latest",
    "overlap_policy": "skip",
    "next_run_at": "2026-11-30T17:00:00Z",
    "next_runs": ["2026-11-30T17:00:00Z", "2026-12-01T17:00:00Z", "2026-12-02T17:00:00Z"],
    "last_run_at": None,
    "last_run_status": None,
    "system": False,
}
WHY_EXAMPLE = {
    "automation_id": 9,
    "answer": "It is on schedule; the next run is Mon 30 Nov 2026 09:00 PST.",
}


def example(value: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI response entry showing `value`, for answers whose model is the tool set's."""
    return {"content": {"application/json": {"example": value}}}
