"""The automation tools that read: automations, skills and run history, each within the
actor's organisation scope."""

from __future__ import annotations

from assistant.tools.base import Actor, ToolsetBase
from assistant.tools.views import AutomationView, RunView, run_view
from models.limits import check_cursor, check_id, check_limit
from models.store.automations import list_automations, list_automations_and_owners
from models.store.orgs import get_org
from models.store.run_history import RunDetail, get_run, list_runs, unlogged_runs
from skills.base import SkillSpec
from worker.run.plan_limits import limits_for


class AutomationReads(ToolsetBase):
    """Reading automations and their runs."""

    def list_automations(
        self,
        actor: Actor,
        *,
        owner_email: str | None = None,
        everyone: bool | None = None,
        system: bool = False,
    ) -> list[AutomationView]:
        """Your automations; admins see everyone's by default, or one colleague's
        (owner_email). `system`: the organisation's system jobs instead (admins only)."""
        now = self.clock()
        if system:
            self.admin_only(actor, "see the organisation's system jobs")
            found = list_automations_and_owners(self.engine, actor.org_id, system=True)
        else:
            owner_id = self.listing_owner(actor, owner_email=owner_email, everyone=everyone)
            found = list_automations_and_owners(self.engine, actor.org_id, owner_id=owner_id)
        return self.views_of(found, now)

    def get_automation(self, actor: Actor, automation_id: int) -> AutomationView:
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        return self.view_of(auto, owner_email=owner_email)

    def readable_automations(self, actor: Actor) -> list[AutomationView]:
        """Every automation the actor's words may refer to: what list_automations shows them (a
        member's own, an admin's whole organisation) and the organisation's system jobs, which
        only admins may see or act on (a member naming one is told so by name)."""
        now = self.clock()
        if actor.is_admin:  # people's and system jobs alike
            found = list_automations_and_owners(self.engine, actor.org_id, system=None)
        else:
            found = list_automations_and_owners(self.engine, actor.org_id, owner_id=actor.user_id)
            found += list_automations_and_owners(self.engine, actor.org_id, system=True)
        return self.views_of(found, now)

    def read_automation(self, actor: Actor, automation_id: int) -> AutomationView:
        """get_automation: a member reads their own automations, never the organisation's
        system jobs (their owner, recipients and settings are the admins')."""
        return self.get_automation(actor, automation_id)

    def list_skills(self, *, hidden: bool = False) -> list[SkillSpec]:
        """The skills people choose from; `hidden`: also those kept for benchmarks and tests
        (runnable by name all the same)."""
        return [s for s in self.registry.list() if hidden or not s.hidden]

    def list_runs(
        self,
        actor: Actor,
        *,
        automation_id: int | None = None,
        limit: int = 20,
        cursor: int | None = None,
    ) -> list[RunView]:
        """Run history, newest first; pass the last run id as `cursor` for the next page."""
        check_limit(limit)
        check_cursor(cursor)
        ids: list[int] | None = None
        if automation_id is not None:
            self.owned_automation(actor, automation_id)
        elif not actor.is_admin:
            ids = [
                a.id or 0
                for a in list_automations(self.engine, actor.org_id, owner_id=actor.user_id)
            ]
        runs = list_runs(
            self.engine,
            actor.org_id,
            automation_id=automation_id,
            automation_ids=ids,
            limit=limit,
            before_id=cursor,
        )
        return [run_view(r) for r in runs]

    def history_note(self, actor: Actor) -> str | None:
        """What run history does not show: this month's runs beyond the plan's logged-run
        quota ran but kept no row. None when every run is there."""
        now = self.clock()
        unlogged = unlogged_runs(self.engine, actor.org_id, now)
        if not unlogged:
            return None
        org = get_org(self.engine, actor.org_id)
        quota = limits_for(self.settings, org).logged_runs_per_month
        beyond = (
            f"beyond your {org.plan.title()} plan's {quota} logged runs a month"
            if quota is not None
            else "beyond the logged-run quota of your plan at the time"
        )
        plural = "s" if unlogged != 1 else ""
        return (
            f"This month {unlogged} run{plural} {beyond} ran but {'are' if plural else 'is'} "
            "not kept in run history; only the count is kept."
        )

    def get_run(self, actor: Actor, run_id: int) -> RunView:
        check_id(run_id, "run")
        detail = get_run(self.engine, actor.org_id, run_id)
        self.owned_automation(actor, detail.run.automation_id)
        return self.run_view_of(actor, detail)

    def queued_run(self, actor: Actor, run_id: int) -> RunView:
        """A run the actor has just queued on an automation they may act on (checked when
        queueing it)."""
        return self.run_view_of(actor, get_run(self.engine, actor.org_id, run_id))

    @staticmethod
    def run_view_of(actor: Actor, detail: RunDetail) -> RunView:
        show_output = detail.run.requested_by == actor.user_id or detail.run.triggered_by != "test"
        return run_view(detail.run, detail, include_output=show_output)
