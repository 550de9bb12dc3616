"""The automation tools that write an automation's definition: create and change it, with
the one validation every write passes and the admins' hold on the system jobs' skills."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from assistant.language.cadence import cadence_params
from assistant.tools import validation
from assistant.tools.audit_entries import automation_entry, created, edit_action, field_changes
from assistant.tools.base import Actor, ToolsetBase
from assistant.tools.job_names import spell_event_job, spell_job_params
from assistant.tools.naming import generated_name, is_generated
from assistant.tools.views import AutomationSpec, AutomationView
from models.errors import InvalidInput, PermissionDenied, ScheduleError
from models.skip_list import read_skips, write_skips
from models.store.automations import add_automation, save_automation
from models.store.members import SLACK_ORIGIN
from models.store.orgs import find_user, get_org
from models.store.system_jobs import SYSTEM_SKILLS
from models.tables.automations import (
    MISFIRE_POLICIES,
    OUTPUT_CHANNELS,
    OVERLAP_POLICIES,
    TRIGGER_TYPES,
    Automation,
)
from models.tables.orgs import Organization, User
from skills.ats.demo import DemoAts
from skills.ats.unmirrored import unmirrored_refusal
from skills.base import validate_params
from worker.run.plan_limits import check_can_activate, check_frequency
from worker.run.recipients import check_recipients
from worker.schedule.for_automation import first_run_at, schedule_of
from worker.schedule.parse import load_zone, next_fire, next_fires

#: system-job skills a member may still use for their own candidates ("scope": "mine")
PERSONAL_SCOPE_SKILLS = frozenset({"followups", "scheduled-report"})


#: what decides when an automation runs: a change to one of them moves its next run and is
#: checked against the plan's frequency again
SCHEDULE_FIELDS = (
    "trigger_type",
    "cron_expression",
    "rrule",
    "run_once_at",
    "schedule_anchor",
    "timezone",
    "poll_interval_minutes",
)


class AutomationWrites(ToolsetBase):
    """Creating and changing automations."""

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
            skip_holidays=spec.skip_holidays,
            enabled=spec.enabled,
            origin=spec.origin,
            created_at=now,
            updated_at=now,
        )
        validation.check_one_line(auto.name, "The name")
        auto.params = {**_cadence_params(auto, now), **auto.params}
        self.spell_job_names(auto)
        self.validate(auto, now, org)
        validation.check_roles_filled(auto, self.registry.specs())
        validation.check_new_output(self.engine, self.settings, auto)
        self.check_system_skill(actor, auto)
        if refusal := unmirrored_refusal(self.engine, actor.org_id, auto.skill):
            raise InvalidInput(refusal)
        if auto.enabled:
            check_can_activate(self.engine, self.settings, org)
        auto.next_run_at = first_run_at(auto, now)
        audit = automation_entry(actor, "create", auto, now, created(auto))
        stored = add_automation(self.engine, auto, audit=audit)
        return self.view_of(stored, now, owner_email=owner_email)

    def spell_job_names(self, auto: Automation, before: Automation | None = None) -> None:
        """The jobs an automation names (its event filter's `job`, a `jobs` param) as the
        organisation's job titles: they are compared exactly when it runs. InvalidInput when
        a name is several jobs' or none's; with no jobs known they stay as given. `before`:
        the automation changed, whose names are not checked again while they stay."""
        job, jobs_param = _job_names(auto)
        was = _job_names(before) if before is not None else (None, None)
        if not (job and job != was[0]) and not (jobs_param and jobs_param != was[1]):
            return
        jobs = DemoAts(self.engine, auto.org_id).jobs()
        auto.event_filter, auto.params = dict(auto.event_filter or {}), dict(auto.params or {})
        if job != was[0]:
            spell_event_job(auto.event_filter, jobs)
        if jobs_param != was[1]:
            spell_job_params(auto.params, jobs)

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

    def validate(
        self,
        auto: Automation,
        now: datetime,
        org: Organization | None = None,
        *,
        before: Automation | None = None,
    ) -> None:
        """The one check every automation write passes (create and update, from every
        interface): bad input raises InvalidInput before anything is stored. `org`: the
        automation's organisation, when the caller has read it already; `before`: the
        automation as stored, for a change (a schedule it keeps is not checked against the
        plan again: after a downgrade a rename must not be refused for its frequency)."""
        keeps_schedule = before is not None and _schedule_of_row(before) == _schedule_of_row(auto)
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
            if not auto.system and not keeps_schedule:  # fixed jobs are in every plan
                check_frequency(self.settings, org, schedule, now)
            if schedule is not None and first_run_at(auto, now) is None:
                raise InvalidInput("That schedule has no run in the future.")
        elif auto.trigger_type == "poll":
            if not auto.poll_interval_minutes or auto.poll_interval_minutes < 1:
                raise InvalidInput("A poll trigger needs an interval of at least 1 minute.")
            if not keeps_schedule:
                check_frequency(
                    self.settings,
                    org,
                    None,
                    now,
                    poll_interval_minutes=auto.poll_interval_minutes,
                )
        elif not auto.event_type:
            raise InvalidInput(
                "An event trigger needs an event type, e.g. candidate.stage_changed."
            )
        if auto.skip_holidays:
            validation.check_skips_holidays(auto)
        check_recipients(auto, self.settings.webhooks.allowlist)
        if auto.output_channel == "in_app":
            validation.check_in_app_recipients(self.engine, auto)

    def _new_owner(self, actor: Actor, auto: Automation, email: Any) -> User | None:
        """The user an admin hands `auto` to (None when its owner stays)."""
        if email is None:
            return None
        if not actor.is_admin:
            raise PermissionDenied("Only admins can give an automation to someone else.")
        if auto.system:
            raise InvalidInput("A system job stays with the organisation's admins.")
        heir = find_user(self.engine, actor.org_id, str(email))
        return None if heir.id == auto.owner_id else heir

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
            "skip_holidays": "skip_holidays",
            "event_type": "event_type",
            "event_filter": "event_filter",
            "poll_interval_minutes": "poll_interval_minutes",
        }
        if auto.system:
            del fields["skill"]
        changes = dict(changes)
        heir = self._new_owner(actor, auto, changes.pop("owner_email", None))
        unknown = sorted(set(changes) - set(fields) - {"owner_email"})
        if unknown:
            if auto.system and "skill" in unknown:
                raise InvalidInput(
                    f"Automation #{automation_id} is the organisation's {auto.skill} system "
                    "job; its skill stays. Create another automation for another skill."
                )
            changeable = ", ".join([*fields, "owner_email"])
            raise InvalidInput(f"Cannot change '{unknown[0]}'. Changeable: {changeable}.")
        updated = auto.model_copy()
        applied: dict[str, Any] = {}
        if heir is not None:
            # the new owner's: "me" is now them, and notices reach them, not the old owner's
            # Slack DM or thread
            updated.owner_id = applied["owner_id"] = heir.id or 0
            updated.origin = applied["origin"] = handed_origin(auto.origin)
            owner_email = heir.email
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
        self.spell_job_names(updated, before=auto)
        if updated.event_filter != auto.event_filter:
            applied["event_filter"] = updated.event_filter
        self.validate(updated, now, before=auto)
        if (updated.skill, updated.output_config) != (auto.skill, auto.output_config):
            validation.check_roles_filled(updated, self.registry.specs())  # kept ones stay
        if updated.output_channel != auto.output_channel:
            validation.check_new_output(self.engine, self.settings, updated)
        self.check_system_skill(actor, updated)
        applied["params"] = updated.params
        if set(SCHEDULE_FIELDS) & set(applied):
            applied["next_run_at"] = first_run_at(updated, now)
            if auto.skips is not None:  # a skipped run the new schedule no longer makes is gone
                applied["skips"] = skips_kept(updated, now)
        applied["updated_at"] = now
        changes = field_changes(auto, applied) | renamed
        audit = automation_entry(actor, edit_action(changes), auto, now, changes)
        saved = save_automation(self.engine, auto, applied, audit=audit if changes else None)
        return self.view_of(saved, now, owner_email=owner_email)


def _job_names(auto: Automation) -> tuple[Any, Any]:
    """The job names an automation's event filter and params hold (None: none)."""
    return (auto.event_filter or {}).get("job"), (auto.params or {}).get("jobs")


def handed_origin(origin: dict[str, Any] | None) -> dict[str, Any]:
    """An automation's origin once it changes hands: notices go to the new owner by e-mail
    instead of the Slack DM or thread it was set up in."""
    kept = {k: v for k, v in (origin or {}).items() if k not in SLACK_ORIGIN}
    return {**kept, "channel": "email"} if (origin or {}).get("channel") == "slack" else kept


def skips_kept(auto: Automation, now: datetime) -> str | None:
    """The runs `auto` skips that are still ahead and still occurrences of its schedule."""
    schedule = schedule_of(auto) if auto.trigger_type == "cron" else None
    if schedule is None:
        return None
    return write_skips(
        {
            t: asked
            for t, asked in read_skips(auto.skips).items()
            if t > now and next_fire(schedule, t - timedelta(seconds=1)) == t
        }
    )


def _cadence_params(auto: Automation, now: datetime) -> dict[str, Any]:
    """A report's params that follow how often it runs, as a request in words sets them: a
    daily pipeline report created by fields calls itself daily, not the skill's default
    weekly. Given params keep their values; a schedule that cannot be read is validate's."""
    try:
        schedule = schedule_of(auto)
    except ScheduleError:
        return {}
    runs = next_fires(schedule, now, 4) if schedule is not None else []
    return cadence_params(auto.skill, runs) if len(runs) > 1 else {}


def _schedule_of_row(auto: Automation) -> tuple[object, ...]:
    return tuple(getattr(auto, field) for field in SCHEDULE_FIELDS)
