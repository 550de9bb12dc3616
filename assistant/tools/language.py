"""Tool-set methods for requests in plain words: understand a request, draft then confirm,
update in words, pause until a date (bulk pause/resume: bulk_tools.py; retry, history, why,
backtest: run_questions.py). They build on the automation tools and their scope checks."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from assistant.language import Draft, understand
from assistant.language.edits import until_in_words
from assistant.language.output_steps import adds_output
from assistant.language.step_edits import workflow_changes
from assistant.language.teammate_words import Teammate
from assistant.tools import validation
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.claude_planner import ClaudePlanner
from assistant.tools.department_check import check_departments, departments_spelled
from assistant.tools.job_names import check_job_names
from assistant.tools.naming import automation_name, when_from_cron
from assistant.tools.views import AutomationSpec, AutomationView
from models.clock import parse_instant, utc
from models.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    PlanLimit,
    SkilltickError,
)
from models.store.automations import get_automation, save_automation
from models.store.conversations import add_draft, claim_draft, finish_draft, get_draft
from models.store.orgs import get_org, list_users
from models.tables.automations import Automation
from skills.ats.demo import DemoAts
from skills.base import validate_params
from worker.run.plan_limits import check_can_activate, check_frequency
from worker.schedule.for_automation import first_run_at
from worker.schedule.parse import Schedule


class DraftView(BaseModel):
    """A draft to show the requester: `draft` is the JSON of `skilltick understand --json`."""

    id: int | None
    status: str
    question: str | None
    summary: str
    draft: dict[str, Any]


class LanguageTools(AutomationTools):
    # --- understanding and drafts -----------------------------------------------------------

    @cached_property
    def claude_planner(self) -> ClaudePlanner | None:
        """Claude's planner when an API key is set: one for the tool set's life, so its client
        and connections are reused; building it starts loading the SDK in the background."""
        return ClaudePlanner.from_settings(self.registry, self.settings.anthropic)

    def understand(
        self,
        actor: Actor,
        text: str,
        tz: str | None = None,
        now: datetime | None = None,
        *,
        via: str | None = None,
        llm: bool = True,
    ) -> Draft:
        """Read a request in plain words; never creates anything. The time zone is the
        requester's, else the organisation's, else UTC; plan limits and missing skills are
        noted in the summary. With ANTHROPIC_API_KEY set Claude plans it (llm=False: never),
        falling back to the deterministic parser when the API fails."""
        org = get_org(self.engine, actor.org_id)
        zone = tz or actor.zone(org.timezone)
        moment = utc(now) if now else self.clock()

        def plan_check(schedule: Schedule | None, poll: int | None) -> str | None:
            try:
                check_frequency(self.settings, org, schedule, moment, poll_interval_minutes=poll)
                check_can_activate(self.engine, self.settings, org)
            except PlanLimit as exc:
                return str(exc)
            return None

        def deterministic() -> Draft:
            people = [Teammate(u.name, u.email) for u in list_users(self.engine, actor.org_id)]
            draft = understand(
                text,
                tz=zone,
                now=moment,
                default_channel=via or "email",
                plan_check=plan_check,
                people=people,
                specs=self.registry.specs(),
            )
            if draft.ok:
                _fit_params(self, draft)
                draft.write_summary()
            return draft

        planner = self.claude_planner if llm else None
        if planner is None:
            drafted = deterministic()
        else:
            drafted = planner.plan(
                text,
                zone,
                moment,
                via=via or "email",
                plan_check=plan_check,
                fallback=deterministic,
            )[0]
        drafted = self.departments_checked(actor, drafted)
        return self.activation_checked(actor, self.job_names_checked(actor, drafted))

    def departments_checked(self, actor: Actor, draft: Draft) -> Draft:
        """The draft with its departments as the organisation's jobs spell them, or a one-line
        answer when a department named has no job."""
        if not draft.params.get("departments"):
            return draft
        jobs = DemoAts(self.engine, actor.org_id).jobs()
        return check_departments(draft, [job.department for job in jobs])

    def job_names_checked(self, actor: Actor, draft: Draft) -> Draft:
        """The draft with the jobs it names as the organisation's job titles, or a question
        when a name is several jobs' or none's."""
        if not (draft.event_filter.get("job") or draft.params.get("jobs")):
            return draft
        return check_job_names(draft, DemoAts(self.engine, actor.org_id).jobs())

    def activation_checked(self, actor: Actor, draft: Draft) -> Draft:
        """The draft, noting (and not offering to confirm) what creating it would refuse: an
        output that cannot deliver here, a system job's reach the requester may not have."""
        if not draft.ok:
            return draft
        refusal = self.system_skill_refusal(actor, draft.skill, self._as_created(draft))
        if refusal:
            draft.notes.append(refusal)
            draft.actor_refuses = True
        for channel in dict.fromkeys([draft.channel, *(o.get("channel") for o in draft.also)]):
            refusal = validation.output_refusal(
                self.engine, self.settings, actor.org_id, str(channel)
            )
            if refusal:
                draft.notes.append(refusal)
                draft.channel_refuses = True
        if draft.actor_refuses or draft.channel_refuses:
            draft.write_summary()
        return draft

    def _as_created(self, draft: Draft) -> dict[str, Any]:
        """The draft's params as creating it would store them (the skill's defaults filled)."""
        if draft.skill not in self.registry:
            return draft.params
        try:
            return validate_params(self.registry.get(draft.skill).spec, draft.params)
        except SkilltickError:  # invalid params: creating it refuses them, with its message
            return draft.params

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
        draft = self.understand(actor, text, tz, now, via=via)
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
        row = get_draft(self.engine, actor.org_id, draft_id)
        if row.user_id != actor.user_id and not actor.is_admin:
            raise PermissionDenied("Only the person who asked (or an admin) can confirm it.")
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
        row = get_draft(self.engine, actor.org_id, draft_id)
        if row.user_id != actor.user_id and not actor.is_admin:
            raise PermissionDenied("Only the person who asked (or an admin) can cancel it.")
        if row.status == "confirmed":  # "cancelled" would be untrue: the automation exists
            raise InvalidInput(
                f"Draft #{draft_id} was confirmed already"
                + (f" as automation #{row.automation_id}" if row.automation_id else "")
                + "; delete the automation to undo it."
            )
        if row.status == "pending":
            finish_draft(self.engine, draft_id, status="cancelled")

    # --- changing in words ------------------------------------------------------------------

    def update_in_words(self, actor: Actor, automation_id: int, text: str) -> AutomationView:
        """Apply a change said in words: "move it to 8am", "make it weekdays only", "post it
        in #hiring instead". Nothing changes if the words are unclear. "also post it in
        #hiring" through another channel than its own returns the new automation it makes."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        now = self.clock()
        people = [Teammate(u.name, u.email) for u in list_users(self.engine, actor.org_id)]
        changes = workflow_changes(
            auto, text, now, people, self.registry.specs(), self.job_titles(actor)
        )
        if "output_channel" in changes and adds_output(text):
            if changes["output_channel"] != auto.output_channel:
                # an automation sends through one channel: one more place through another is
                # one more automation, as a draft's second place is when it is confirmed
                return self._copied_to(actor, auto, owner_email, changes)
            changes["to"] = _added_places(auto, changes["to"])
        said = (changes.get("params") or {}).get("departments")
        if said:  # spelled as the ATS spells them; a department no job has changes nothing
            jobs = DemoAts(self.engine, actor.org_id).jobs()
            changes["params"]["departments"] = departments_spelled(
                said, [job.department for job in jobs]
            )
        return self.apply_changes(actor, auto, owner_email, changes, now)

    def _copied_to(
        self, actor: Actor, auto: Automation, owner_email: str, changes: dict[str, Any]
    ) -> AutomationView:
        """ "also post it in #hiring" through another channel than its own: a new automation,
        the same but for where it goes (its name says where), created and audited as any."""
        others = sorted(set(changes) - {"output_channel", "to"})
        if others:  # the copy would not be "the same", and the original would not change
            raise InvalidInput(
                f"Say one more place for #{auto.id} on its own, and the other change after it."
            )
        to = [str(t) for t in changes["to"] or ["me"]]
        spec = AutomationSpec(
            name=f"{auto.name} ({', '.join(to)})"[:200],
            description=auto.description,
            skill=auto.skill,
            params=dict(auto.params or {}),
            trigger_type=auto.trigger_type,
            cron=auto.cron_expression,
            rrule=auto.rrule,
            once=auto.run_once_at,
            anchor=auto.schedule_anchor,
            timezone=auto.timezone,
            event_type=auto.event_type,
            event_filter=dict(auto.event_filter or {}),
            poll_interval_minutes=auto.poll_interval_minutes,
            output_channel=str(changes["output_channel"]),
            to=to,
            misfire_policy=auto.misfire_policy,
            overlap_policy=auto.overlap_policy,
            owner_email=owner_email,
            enabled=auto.enabled,
            origin=dict(auto.origin or {}),
        )
        return self.create_automation(actor, spec)

    def job_titles(self, actor: Actor) -> list[str]:
        """The titles of the organisation's jobs, which "only for engineering roles" is read
        against."""
        return [job.title for job in DemoAts(self.engine, actor.org_id).jobs()]

    def pause_until(self, actor: Actor, automation_id: int, when: str) -> AutomationView:
        """Pause until a day said in words ("until Monday"), in the requester's time zone."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        until = until_in_words(when, self.zone_of(actor), self.clock())
        return self.pause_checked(actor, auto, owner_email, until)


def _added_places(auto: Automation, to: list[str]) -> list[str]:
    """ "email sam too": the places it goes with the ones said added, through its channel."""
    before = [str(t) for t in (auto.output_config or {}).get("to") or []]
    return list(dict.fromkeys([*before, *to]))


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
        name=_name(shown, draft),
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


def _fit_params(tools: LanguageTools, draft: Draft) -> None:
    """Keep only params the installed skill declares, saying so; note a missing skill."""
    try:
        spec = tools.registry.get(draft.skill).spec
    except NotFound:
        draft.notes.append(
            f"the {draft.skill} skill is not installed on this server yet, so "
            "confirming will not work until it is."
        )
        return
    dropped = sorted(set(draft.params) - set(spec.params))
    for key in dropped:
        draft.params.pop(key)
    if dropped:
        draft.notes.append(f"{draft.skill} has no setting for {', '.join(dropped)}; left out.")
