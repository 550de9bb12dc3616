"""A workflow drafted from typed steps (MCP's draft_workflow): the trigger in words, each step a
typed action. It is kept as a draft like one drafted from a sentence, read back step by step,
and created by confirm_draft once the user agrees."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from assistant.language.understand import read_event_trigger
from assistant.language.workflow_draft import workflow_of
from assistant.tools.base import Actor
from assistant.tools.drafts import DraftView
from assistant.tools.language import LanguageTools
from models.errors import InvalidInput
from models.limits import check_text
from models.store.conversations import add_draft
from models.store.orgs import get_org
from skills.actions import parse_action_specs

WHEN_MAX = 500  # the event in words, as REST's body allows


class EmailStep(BaseModel):
    type: Literal["send_email"] = "send_email"
    to: str = Field(description="candidate, owner (the user), hiring_manager, or an email address.")
    subject: str = Field(description="May use {{ candidate.name }}, {{ job.title }}, {{ stage }}.")
    body: str = Field(description="The same placeholders as the subject.")


class TaskStep(BaseModel):
    type: Literal["create_task"] = "create_task"
    title: str = Field(description="May use {{ candidate.name }}, {{ job.title }}.")
    due_in_days: int = Field(default=1, ge=0, le=365)
    assignee: Literal["owner", "candidate_owner"] = "owner"


class FieldStep(BaseModel):
    type: Literal["update_field"] = "update_field"
    field: Literal["priority", "status"]
    value: str = Field(
        description="priority: normal|high; status: active|hired|rejected|withdrawn."
    )


WorkflowStep = Annotated[EmailStep | TaskStep | FieldStep, Field(discriminator="type")]


class WorkflowTools(LanguageTools):
    def draft_workflow(
        self,
        actor: Actor,
        when: str,
        steps: list[EmailStep | TaskStep | FieldStep],
        *,
        tz: str | None = None,
        origin: dict[str, Any] | None = None,
    ) -> DraftView:
        """Keep a draft of one workflow running `steps` in order each time `when` happens
        ("when a candidate reaches Offer"); InvalidInput names the step at fault, or says the
        trigger is not an event."""
        check_text(when, "The event in words", WHEN_MAX)
        now = self.clock()
        zone = tz or actor.zone(get_org(self.engine, actor.org_id).timezone)
        events, zone, scheduled = read_event_trigger(when, zone, now)
        if events is None or events.event_type is None or events.question or scheduled:
            raise InvalidInput(
                events.question
                if events is not None and events.question
                else f"“{when}” is not an event a workflow can run on; say one, for example "
                "“when a candidate reaches Offer” or “when an interview is scheduled”."
            )
        specs = [
            {"entity": "application", **step.model_dump()}
            if isinstance(step, FieldStep)
            else step.model_dump()
            for step in steps
        ]
        actions = parse_action_specs("workflow", "steps", specs)
        drafted = workflow_of(when, zone, events, actions, self.registry.specs())
        drafted = self.job_names_checked(actor, drafted)
        if not drafted.ok:  # the job it names is several jobs' or none's
            raise InvalidInput(drafted.question or f"“{when}” names no job there is.")
        draft = self.activation_checked(actor, drafted)
        shown = draft.as_json()
        row = add_draft(
            self.engine,
            org_id=actor.org_id,
            user_id=actor.user_id,
            request=when,
            draft=shown,
            origin=origin or {},
            now=now,
        )
        return DraftView(id=row.id, status="ok", question=None, summary=draft.summary, draft=shown)
