"""The automation tools: list, read, create, change, pause, resume, delete, run now and test,
each within the actor's organisation scope. Reading is in automation_reads, creating and
changing in automation_writes; here, what changes an automation's state or runs it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.tools.audit_entries import automation_entry, field_changes
from assistant.tools.automation_reads import AutomationReads
from assistant.tools.automation_writes import AutomationWrites
from assistant.tools.base import Actor
from assistant.tools.tries import check_tries
from assistant.tools.views import AutomationView, RunView
from models.errors import InvalidInput
from models.store.automations import clear_history, delete_automation, save_automation
from models.store.orgs import get_org
from models.store.run_queue import queue_run
from models.store.samples import SampleInput, latest_matching_event, sample_from_ats
from models.tables.automations import Automation
from models.tables.orgs import Organization
from skills.ats.unmirrored import unmirrored_refusal
from worker.run.plan_limits import check_can_activate
from worker.schedule.for_automation import first_run_at
from worker.tick.factory import build_worker
from worker.triggers.matching import matches


class AutomationTools(AutomationWrites, AutomationReads):
    """Every operation on automations and their runs."""

    def pause(
        self, actor: Actor, automation_id: int, *, until: datetime | None = None
    ) -> AutomationView:
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        return self.pause_checked(actor, auto, owner_email, until)

    def pause_checked(
        self, actor: Actor, auto: Automation, owner_email: str, until: datetime | None
    ) -> AutomationView:
        """pause once the automation is read and the actor's right checked."""
        now = self.clock()
        return self.view_of(self.paused(actor, auto, until, now), now, owner_email=owner_email)

    def paused(
        self, actor: Actor, auto: Automation, until: datetime | None, now: datetime
    ) -> Automation:
        """Pause `auto` (read, and the actor's right checked, by the caller): as stored now."""
        if until is not None and until <= now:
            raise InvalidInput("The pause must end in the future.")
        changes = field_changes(auto, {"enabled": False, "paused_until": until})
        if not changes:
            # paused already, as asked: its reason (e.g. after failures) stays, nothing to audit
            return auto
        return save_automation(
            self.engine,
            auto,
            {
                "enabled": False,
                "status": "paused",
                "paused_until": until,
                "paused_reason": f"paused by {actor.email}",
                "updated_at": now,
            },
            audit=automation_entry(actor, "pause", auto, now, changes) if changes else None,
        )

    def resume(self, actor: Actor, automation_id: int) -> AutomationView:
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        now = self.clock()
        if auto.enabled:
            return self.view_of(auto, now, owner_email=owner_email)
        if refusal := unmirrored_refusal(self.engine, actor.org_id, auto.skill):
            raise InvalidInput(refusal)  # the system job's renewal reminders, say
        saved = self.resumed(auto, get_org(self.engine, actor.org_id), now, actor)
        return self.view_of(saved, now, owner_email=owner_email)

    def resumed(
        self, auto: Automation, org: Organization, now: datetime, actor: Actor
    ) -> Automation:
        """Resume paused `auto` (read, and `actor`'s right checked, by the caller) within
        the plan of `org`, its organisation: as stored now."""
        check_can_activate(self.engine, self.settings, org, automation_id=auto.id)
        changes = field_changes(auto, {"enabled": True, "paused_until": None})
        return save_automation(
            self.engine,
            auto,
            {
                "enabled": True,
                "status": "idle",
                "paused_until": None,
                "paused_reason": None,
                "consecutive_failures": 0,
                "next_run_at": first_run_at(auto, now),
                "updated_at": now,
            },
            audit=automation_entry(actor, "resume", auto, now, changes) if changes else None,
        )

    def delete(
        self,
        actor: Actor,
        automation_id: int,
        *,
        confirm: bool,
        how_to_confirm: str = "confirm to go ahead",
    ) -> AutomationView:
        """Delete the automation and its history; returns it as it was. Unconfirmed, nothing
        changes and the refusal ends with `how_to_confirm` (the caller's own way to confirm)."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        if auto.system:
            raise InvalidInput(
                f"Automation #{automation_id} is one of the organisation's system jobs and "
                "cannot be deleted; pause it instead."
            )
        if not confirm:
            raise InvalidInput(
                f"Deleting #{automation_id} “{auto.name}” removes it and its run history; "
                f"{how_to_confirm}."
            )
        view = self.view_of(auto, owner_email=owner_email)
        audit = automation_entry(actor, "delete", auto, self.clock(), {"skill": auto.skill})
        delete_automation(self.engine, actor.org_id, automation_id, audit=audit)
        return view

    def run_now(self, actor: Actor, automation_id: int) -> RunView:
        """Queue a manual run: same path as a scheduled one; the schedule does not move."""
        return self.queue_manual_run(actor, self.owned_automation(actor, automation_id))

    def queue_manual_run(self, actor: Actor, auto: Automation, **run: Any) -> RunView:
        """Queue a run of `auto` asked for by `actor` (the schedule and the failure count do not
        move; `run` adds trigger data or the event it answers) and wake the worker for it."""
        now = self.clock()
        retry_of = (run.get("trigger_data") or {}).get("retry_of")
        audit = (
            automation_entry(actor, "retry", auto, now, {"retry_of": retry_of})
            if retry_of
            else automation_entry(actor, "run_now", auto, now)
        )
        run_id = queue_run(
            self.engine,
            automation_id=auto.id or 0,
            org_id=auto.org_id,
            triggered_by="manual",
            now=now,
            requested_by=actor.user_id,
            audit=audit,
            **run,
        )
        self.wake()
        return self.queued_run(actor, run_id)

    def test(self, actor: Actor, automation_id: int) -> RunView:
        """Dry run on live data, shown only to the requester; nothing is sent. An event
        automation runs on the latest event that passes its filter, else on a sample built
        from the ATS records, and the answer says which; with neither, nothing is run."""
        auto = self.owned_automation(actor, automation_id)
        now = self.clock()
        check_tries(self.engine, self.settings, actor, now)
        trigger_data: dict[str, Any] = {}
        note: str | None = None
        if auto.trigger_type == "event" and auto.event_type:
            sample = self.event_to_test_with(auto)
            trigger_data, note = sample.trigger_data, f"Tested on {sample.source}."
        run_id = queue_run(
            self.engine,
            automation_id=auto.id or 0,
            org_id=auto.org_id,
            triggered_by="test",
            now=now,
            requested_by=actor.user_id,
            trigger_data=trigger_data,
            # a test sends nothing, but reads live data as the requester: it is recorded
            audit=automation_entry(actor, "test", auto, now),
        )
        worker = build_worker(
            self.engine, self.settings, registry=self.registry, slack_layout=self.slack_layout
        )
        worker.run_one(run_id, now)
        view = self.queued_run(actor, run_id)
        view.note = note
        return view

    def event_to_test_with(self, auto: Automation) -> SampleInput:
        event_type = auto.event_type or ""

        def accepts(data: dict[str, Any]) -> bool:
            return matches(auto.event_filter or {}, data, owner_id=auto.owner_id)

        found = latest_matching_event(
            self.engine, auto.org_id, event_type, accepts
        ) or sample_from_ats(self.engine, auto.org_id, event_type, accepts)
        if found is None:
            raise InvalidInput(
                f"Nothing to test with yet: no {event_type} event passing this automation's "
                "filter has arrived, and the ATS has no record to build one from. Nothing "
                "was run."
            )
        return found

    def clear_history(self, actor: Actor, automation_id: int) -> int:
        """Delete the automation's finished runs; returns how many."""
        auto = self.owned_automation(actor, automation_id)
        audit = automation_entry(actor, "history_clear", auto, self.clock())
        return clear_history(self.engine, actor.org_id, automation_id, audit=audit)
