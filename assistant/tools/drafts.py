"""Tool-set methods for drafts: a request understood is kept as a draft (24 h) to be
confirmed or cancelled later by id (Slack buttons, MCP); confirming creates its automations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from assistant.language import Draft
from assistant.tools.base import Actor
from assistant.tools.naming import automation_name, when_from_cron
from assistant.tools.understanding import UnderstandingTools
from assistant.tools.views import AutomationSpec, AutomationView
from models.clock import parse_instant
from models.errors import InvalidInput, PermissionDenied
from models.store.automations import get_automation, save_automation
from models.store.conversations import add_draft, claim_draft, finish_draft, get_draft
from models.store.orgs import get_user
from models.tables.conversations import AutomationDraft
from worker.schedule.for_automation import first_run_at


class DraftView(BaseModel):
    """A draft to show the requester: `draft` is the JSON of `skilltick understand --json`."""

    id: int | None
    status: str
    question: str | None
    summary: str
    draft: dict[str, Any]


class DraftTools(UnderstandingTools):
    """Drafts kept, confirmed into automations, cancelled."""

    def draft_automation(
        self,
        actor: Actor,
        text: str,
        *,
        tz: str | None = None,
        now: datetime | None = None,
        origin: dict[str, Any] | None = None,
        via: str | None = None,
    ) -> DraftView:
        """Understand `text` and keep the draft (24 h) so it can be confirmed later by id
        (Slack buttons, MCP). A question is returned without a draft id."""
        here = (origin or {}).get("slack_channel")
        draft = self.understand(actor, text, tz, now, via=via, slack_channel=here)
        shown = draft.as_json()
        if not draft.ok:
            return DraftView(
                id=None,
                status=draft.status,
                question=draft.question,
                summary=draft.summary,
                draft=shown,
            )
        row = add_draft(
            self.engine,
            org_id=actor.org_id,
            user_id=actor.user_id,
            request=text,
            draft=shown,
            origin=origin or {},
            now=self.clock(),
        )
        return DraftView(id=row.id, status="ok", question=None, summary=draft.summary, draft=shown)

    def confirm_draft(self, actor: Actor, draft_id: int) -> AutomationView:
        """Create the automation a draft describes (once: confirming twice returns the same
        automation); a draft with more outputs makes one more for each (confirm_draft_all)."""
        return self.confirm_draft_all(actor, draft_id)[0]

    def confirm_draft_all(self, actor: Actor, draft_id: int) -> list[AutomationView]:
        """The automations a draft describes, created: its first, then one for each of its
        other outputs; all or none. Confirmed already: the first it made."""
        row = self._askers_draft(actor, draft_id, "activate it")
        if row.status == "confirmed" and row.automation_id:
            return [self.get_automation(actor, row.automation_id)]
        before = claim_draft(self.engine, actor.org_id, draft_id, self.clock())
        if before.status == "confirmed":
            raise InvalidInput(f"Draft #{draft_id} is being confirmed already.")
        made: list[AutomationView] = []
        try:
            for output in [None, *(row.draft.get("also") or [])]:
                made.append(self._create_drafted(actor, row.draft, row.request, row.origin, output))
        except Exception:
            # nothing half-made: the automations of its other outputs go again
            for view in made:
                self.delete(actor, view.id, confirm=True)
            finish_draft(self.engine, draft_id, status="pending")
            raise
        finish_draft(self.engine, draft_id, status="confirmed", automation_id=made[0].id)
        return made

    def _create_drafted(
        self,
        actor: Actor,
        shown: dict[str, Any],
        request: str,
        origin: dict[str, Any],
        output: dict[str, Any] | None,
    ) -> AutomationView:
        """The automation a draft's JSON describes; `output`: one of its other outputs, which
        it is made with instead of its first (its name says where it goes)."""
        spec = spec_of(shown, request, origin)
        if output is not None:
            to = [str(t) for t in output.get("to") or ["me"]]
            spec.output_channel, spec.to = str(output["channel"]), to
            spec.name = f"{spec.name} ({', '.join(to)})"[:200]
        view = self.create_automation(actor, spec)
        anchor = (shown.get("trigger") or {}).get("anchor")
        if anchor:  # "every other Tuesday" counts its weeks from the first one
            auto = get_automation(self.engine, actor.org_id, view.id)
            auto.schedule_anchor = parse_instant(anchor)
            saved = save_automation(
                self.engine,
                auto,
                {
                    "schedule_anchor": auto.schedule_anchor,
                    "next_run_at": first_run_at(auto, self.clock()),
                },
            )
            view = self.view_of(saved)
        return view

    def cancel_draft(self, actor: Actor, draft_id: int) -> None:
        row = self._askers_draft(actor, draft_id, "cancel it")
        if row.status == "confirmed":  # "cancelled" would be untrue: the automation exists
            raise InvalidInput(
                f"Draft #{draft_id} was confirmed already"
                + (f" as automation #{row.automation_id}" if row.automation_id else "")
                + "; delete the automation to undo it."
            )
        if row.status == "pending":
            finish_draft(self.engine, draft_id, status="cancelled")

    def _askers_draft(self, actor: Actor, draft_id: int, doing: str) -> AutomationDraft:
        """The draft, when `actor` asked for it. Anyone else is refused, an admin too: what a
        draft makes is its asker's (sent to "me" is to them), and their conversation still
        waits on it; an admin acts on the automation once it exists."""
        row = get_draft(self.engine, actor.org_id, draft_id)
        if row.user_id != actor.user_id:
            asker = get_user(self.engine, row.user_id)
            raise PermissionDenied(
                f"Draft #{draft_id} is {asker.name or asker.email}'s: only they can {doing}."
            )
        return row


def spec_of(shown: dict[str, Any], request: str, origin: dict[str, Any]) -> Any:
    """The AutomationSpec a draft's JSON describes."""
    schedule, trigger = shown["schedule"], shown["trigger"]
    event = shown.get("event") or {}
    once = parse_instant(schedule["once"]) if schedule.get("once") else None
    draft = Draft(
        request=request,
        tz=schedule["tz"],
        status="ok",
        skill=shown["skill"],
        trigger_type=trigger.get("type"),
        event_type=event.get("type"),
        event_filter=event.get("filter") or {},
    )
    return AutomationSpec(
        name=shown.get("name") or _name(shown, draft),
        description=request[:500],
        skill=shown["skill"],
        params=shown["params"],
        trigger_type=trigger.get("type") or "cron",
        cron=schedule.get("cron"),
        rrule=schedule.get("rrule"),
        once=once,
        timezone=schedule["tz"],
        event_type=event.get("type"),
        event_filter=event.get("filter") or {},
        poll_interval_minutes=trigger.get("interval_minutes"),
        skip_holidays=bool(shown.get("skip_holidays")),
        output_channel=shown["output"]["channel"],
        to=shown["output"]["to"],
        origin={"via": "assistant", **origin},
    )


def _name(shown: dict[str, Any], draft: Draft) -> str:
    """ "Pipeline report, Mondays 9:00": what and when, the schedule said once."""
    if draft.trigger_type == "event":
        return draft.name()
    schedule, trigger = shown["schedule"], shown["trigger"]
    when = when_from_cron(schedule["cron"]) if schedule.get("cron") else None
    if trigger.get("type") == "poll" and trigger.get("interval_minutes"):
        when = f"every {trigger['interval_minutes']} minutes"
    lines = [ln for ln in shown["summary"].splitlines() if ln.startswith("- Trigger: ")]
    words = lines[0].removeprefix("- Trigger: ") if lines else ""
    return automation_name(shown["skill"], when, words)
