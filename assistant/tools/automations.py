"""The automation tools: list, read, create, change, pause, resume, delete, run now and test,
each within the actor's organisation scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.tools import validation
from assistant.tools.audit_entries import automation_entry, created, edit_action, field_changes
from assistant.tools.base import Actor, ToolsetBase
from assistant.tools.naming import generated_name, is_generated
from assistant.tools.views import AutomationSpec, AutomationView, RunView, automation_view, run_view
from models.errors import InvalidInput, PermissionDenied
from models.limits import check_cursor, check_id, check_limit
from models.store.automations import (
    add_automation,
    clear_history,
    delete_automation,
    list_automations,
    list_automations_and_owners,
    save_automation,
)
from models.store.orgs import find_user, get_org
from models.store.run_history import RunDetail, get_run, list_runs, unlogged_runs
from models.store.run_queue import queue_run
from models.store.samples import SampleInput, latest_matching_event, sample_from_ats
from models.store.system_jobs import SYSTEM_SKILLS
from models.tables.automations import (
    MISFIRE_POLICIES,
    OUTPUT_CHANNELS,
    OVERLAP_POLICIES,
    TRIGGER_TYPES,
    Automation,
)
from models.tables.orgs import Organization
from skills.base import SkillSpec, validate_params
from worker.run.plan_limits import check_can_activate, check_frequency, limits_for
from worker.run.recipients import check_recipients
from worker.schedule.for_automation import first_run_at, schedule_of
from worker.schedule.parse import load_zone
from worker.tick.factory import build_worker
from worker.triggers.matching import matches

#: system-job skills a member may still use for their own candidates ("scope": "mine")
PERSONAL_SCOPE_SKILLS = frozenset({"followups", "scheduled-report"})


class AutomationTools(ToolsetBase):
    """Every operation on automations and their runs."""

    # --- reading --------------------------------------------------------------------------

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
        return [automation_view(a, owner_email=email, now=now) for a, email in found]

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
        return [automation_view(a, owner_email=email, now=now) for a, email in found]

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

    # --- writing --------------------------------------------------------------------------

    def create_automation(self, actor: Actor, spec: AutomationSpec) -> AutomationView:
        """Validate everything first: bad input changes nothing."""
        now = self.clock()
        owner_id, owner_email = actor.user_id, actor.email
        if spec.owner_email and spec.owner_email.lower() != actor.email.lower():
            if not actor.is_admin:
                raise PermissionDenied("Only admins can create automations for someone else.")
            owner = find_user(self.engine, actor.org_id, spec.owner_email)
            owner_id, owner_email = owner.id or 0, owner.email
        org = get_org(self.engine, actor.org_id)
        validation.check_given_timezone(spec.timezone)
        tz = spec.timezone or actor.zone(org.timezone)
        auto = Automation(
            org_id=actor.org_id,
            owner_id=owner_id,
            name=spec.name,
            description=spec.description,
            skill=spec.skill,
            params=spec.params,
            trigger_type=spec.trigger_type,
            cron_expression=spec.cron,
            rrule=spec.rrule,
            run_once_at=spec.once,
            timezone=tz,
            schedule_anchor=spec.anchor,
            event_type=spec.event_type,
            event_filter=spec.event_filter,
            poll_interval_minutes=spec.poll_interval_minutes,
            output_channel=spec.output_channel,
            output_config={"to": spec.to or ["me"]},
            misfire_policy=spec.misfire_policy,
            overlap_policy=spec.overlap_policy,
            enabled=spec.enabled,
            origin=spec.origin,
            created_at=now,
            updated_at=now,
        )
        validation.check_one_line(auto.name, "The name")
        self.validate(auto, now, org)
        validation.check_new_slack_output(self.engine, self.settings, auto)
        self.check_system_skill(actor, auto)
        if auto.enabled:
            check_can_activate(self.engine, self.settings, org)
        auto.next_run_at = first_run_at(auto, now)
        audit = automation_entry(actor, "create", auto, now, created(auto))
        stored = add_automation(self.engine, auto, audit=audit)
        return self.view_of(stored, now, owner_email=owner_email)

    @staticmethod
    def system_skill_refusal(actor: Actor, skill: str, params: dict[str, Any]) -> str | None:
        """Why `actor` may not have an automation of `skill` with `params`, or None. The system
        jobs' skills reach the whole organisation (every recruiter's candidates,
        candidate-facing sequence mail): only admins may use them that way. A member may
        still have their own follow-ups or report ("mine")."""
        if actor.is_admin or skill not in SYSTEM_SKILLS:
            return None
        if skill in PERSONAL_SCOPE_SKILLS and params.get("scope") == "mine":
            return None
        hint = (
            ' Ask for scope "mine" to cover your own candidates.'
            if skill in PERSONAL_SCOPE_SKILLS
            else ""
        )
        return (
            f"{skill} for the whole organisation is one of its system jobs; only an "
            f"admin can run or change it.{hint}"
        )

    @classmethod
    def check_system_skill(cls, actor: Actor, auto: Automation) -> None:
        refusal = cls.system_skill_refusal(actor, auto.skill, auto.params or {})
        if refusal:
            raise PermissionDenied(refusal)

    def validate(self, auto: Automation, now: datetime, org: Organization | None = None) -> None:
        """The one check every automation write passes (create and update, from every
        interface): bad input raises InvalidInput before anything is stored. `org`: the
        automation's organisation, when the caller has read it already."""
        validation.check_automation_texts(auto)
        for value, allowed, what in (
            (auto.trigger_type, TRIGGER_TYPES, "trigger type"),
            (auto.output_channel, OUTPUT_CHANNELS, "output channel"),
            (auto.misfire_policy, MISFIRE_POLICIES, "missed-run policy"),
            (auto.overlap_policy, OVERLAP_POLICIES, "overlap policy"),
        ):
            if value not in allowed:
                raise InvalidInput(f"Unknown {what} '{value}'. Use one of: {', '.join(allowed)}.")
        skill = self.registry.get(auto.skill)
        auto.params = validate_params(skill.spec, auto.params)
        load_zone(auto.timezone)  # a bad time zone is named before anything else
        org = org if org is not None else get_org(self.engine, auto.org_id)
        if auto.trigger_type == "cron":
            schedule = schedule_of(auto)
            if not auto.system:  # the fixed jobs are part of every plan
                check_frequency(self.settings, org, schedule, now)
            if schedule is not None and first_run_at(auto, now) is None:
                raise InvalidInput("That schedule has no run in the future.")
        elif auto.trigger_type == "poll":
            if not auto.poll_interval_minutes or auto.poll_interval_minutes < 1:
                raise InvalidInput("A poll trigger needs an interval of at least 1 minute.")
            check_frequency(
                self.settings, org, None, now, poll_interval_minutes=auto.poll_interval_minutes
            )
        elif not auto.event_type:
            raise InvalidInput(
                "An event trigger needs an event type, e.g. candidate.stage_changed."
            )
        check_recipients(auto, self.settings.webhooks.allowlist)
        if auto.output_channel == "in_app":
            validation.check_in_app_recipients(self.engine, auto)

    def update_automation(
        self, actor: Actor, automation_id: int, changes: dict[str, Any]
    ) -> AutomationView:
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        return self.apply_changes(actor, auto, owner_email, changes, self.clock())

    def apply_changes(
        self,
        actor: Actor,
        auto: Automation,
        owner_email: str,
        changes: dict[str, Any],
        now: datetime,
    ) -> AutomationView:
        """update_automation once the automation is read and the actor's right checked."""
        automation_id = auto.id
        fields = {
            "name": "name",
            "description": "description",
            "skill": "skill",
            "params": "params",
            "cron": "cron_expression",
            "rrule": "rrule",
            "once": "run_once_at",
            "anchor": "schedule_anchor",
            "timezone": "timezone",
            "to": "output_config",
            "output_channel": "output_channel",
            "misfire_policy": "misfire_policy",
            "overlap_policy": "overlap_policy",
            "event_type": "event_type",
            "event_filter": "event_filter",
            "poll_interval_minutes": "poll_interval_minutes",
        }
        if auto.system:
            del fields["skill"]
        unknown = sorted(set(changes) - set(fields))
        if unknown:
            if auto.system and "skill" in unknown:
                raise InvalidInput(
                    f"Automation #{automation_id} is the organisation's {auto.skill} system "
                    "job; its skill stays. Create another automation for another skill."
                )
            raise InvalidInput(f"Cannot change '{unknown[0]}'. Changeable: {', '.join(fields)}.")
        updated = auto.model_copy()
        applied: dict[str, Any] = {}
        for key, value in changes.items():
            column = fields[key]
            if key == "to":
                value = {**auto.output_config, "to": value if isinstance(value, list) else [value]}
            if key in ("cron", "rrule", "once") and value is not None:
                # one schedule form at a time
                for other in ("cron_expression", "rrule", "run_once_at"):
                    setattr(updated, other, None)
                    applied[other] = None
            setattr(updated, column, value)
            applied[column] = value
        renamed: dict[str, Any] = {}
        if "name" not in changes and is_generated(auto):
            # a generated name follows the automation's schedule, skill and scope
            follows = generated_name(updated)
            if follows and follows != auto.name:
                updated.name = applied["name"] = follows
                # made of the skill and the schedule, never of anyone's words: the entry
                # keeps both names, as it keeps both schedules
                renamed = {"name": {"old": auto.name, "new": follows, "generated": True}}
        if updated.name != auto.name:  # a name kept from before is not refused again
            validation.check_one_line(updated.name, "The name")
        self.validate(updated, now)
        if updated.output_channel != auto.output_channel:
            validation.check_new_slack_output(self.engine, self.settings, updated)
        self.check_system_skill(actor, updated)
        applied["params"] = updated.params
        if {
            "cron_expression",
            "rrule",
            "run_once_at",
            "schedule_anchor",
            "timezone",
            "poll_interval_minutes",
        } & set(applied):
            applied["next_run_at"] = first_run_at(updated, now)
        applied["updated_at"] = now
        changes = field_changes(auto, applied) | renamed
        audit = automation_entry(actor, edit_action(changes), auto, now, changes)
        saved = save_automation(self.engine, auto, applied, audit=audit if changes else None)
        return self.view_of(saved, now, owner_email=owner_email)

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
