"""Taking a change back: a snapshot of what a person may change on an automation (its
schedule, action, output, name and whether it is paused), and putting a snapshot back only
when the automation is still as that person's change left it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.tools.audit_entries import automation_entry, field_changes
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.views import AutomationView
from models.clock import utc
from models.errors import InvalidInput
from models.store.automations import save_automation
from models.store.orgs import get_org
from models.tables.automations import Automation
from worker.run.plan_limits import check_can_activate
from worker.schedule.for_automation import first_run_at

#: what a person's change may touch: a snapshot holds these, restoring writes them back
CHANGEABLE = (
    "name",
    "description",
    "skill",
    "params",
    "trigger_type",
    "cron_expression",
    "rrule",
    "run_once_at",
    "schedule_anchor",
    "timezone",
    "event_type",
    "event_filter",
    "poll_interval_minutes",
    "output_channel",
    "output_config",
    "misfire_policy",
    "overlap_policy",
    "enabled",
    "paused_until",
    "paused_reason",
    "skips",
    "skip_holidays",
)
#: kept to put back too, but the worker changes them as it runs: not compared
_WORKER_KEPT = ("status", "consecutive_failures", "next_run_at")


def _plain(value: Any) -> Any:
    # one spelling on both stores (SQLite reads naive UTC back, PostgreSQL aware)
    return utc(value).isoformat() if isinstance(value, datetime) else value


def _read(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def snapshot_of(auto: Automation) -> dict[str, Any]:
    """The automation as a JSON-ready dict of what a change may touch."""
    return {name: _plain(getattr(auto, name)) for name in (*CHANGEABLE, *_WORKER_KEPT)}


def same_as(auto: Automation, snapshot: dict[str, Any]) -> bool:
    """Whether nobody changed `auto` since `snapshot` was taken (the worker's own bookkeeping
    aside)."""
    now = snapshot_of(auto)
    return all(now[name] == snapshot.get(name) for name in CHANGEABLE)


class UndoTools(AutomationTools):
    """Snapshots taken around a change, and the change taken back."""

    def snapshot(self, actor: Actor, automation_id: int) -> dict[str, Any]:
        """What `automation_id` is now; refuses as a change to it would."""
        auto, _ = self.owned_with_owner(actor, automation_id)
        return snapshot_of(auto)

    def restore(
        self,
        actor: Actor,
        automation_id: int,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> AutomationView:
        """Put `before` back on `automation_id`, which must still be as `after` (the state the
        change left it in); InvalidInput otherwise, and nothing changes."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        if not same_as(auto, after):
            raise InvalidInput(
                f"#{automation_id} “{auto.name}” has been changed since (by someone else or "
                "elsewhere), so I left it as it is."
            )
        now = self.clock()
        values = {name: _read(before[name]) for name in CHANGEABLE if name in before}
        for name in ("params", "event_filter", "output_config"):
            values[name] = before.get(name) or {}
        restored = auto.model_copy(update=values)
        if restored.enabled:
            self.validate(restored, now)
            if not auto.enabled:
                check_can_activate(
                    self.engine,
                    self.settings,
                    get_org(self.engine, actor.org_id),
                    automation_id=automation_id,
                )
        kept_next = _read(before.get("next_run_at"))
        if restored.enabled and restored.trigger_type != "event":
            # a time still ahead is kept as it was; one passed while changed comes next
            fresh = kept_next if isinstance(kept_next, datetime) and kept_next > now else None
            values["next_run_at"] = fresh or first_run_at(restored, now)
        else:
            values["next_run_at"] = kept_next if isinstance(kept_next, datetime) else None
        values["status"] = str(before.get("status") or "idle")
        if restored.enabled and values["status"] == "paused":
            values["status"] = "idle"
        values["consecutive_failures"] = int(before.get("consecutive_failures") or 0)
        values["updated_at"] = now
        # taking a change back is a change: the audit log shows it like any other
        changes = field_changes(auto, values)
        audit = automation_entry(actor, "undo", auto, now, changes) if changes else None
        saved = save_automation(self.engine, auto, values, audit=audit)
        return self.view_of(saved, now, owner_email=owner_email)
