"""Tool-set methods that read a request in plain words: understand it (with Claude's planner
when a key is set, else the deterministic parser), then check it against the organisation (its
departments and job names, what its ATS can give it, what creating it would refuse). Nothing is
created here."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from assistant.language import Draft, understand
from assistant.language.holiday_words import AHEAD_DAYS, NO_HOLIDAYS_YET, take_holiday_words
from assistant.language.teammate_words import Teammate
from assistant.language.understand import with_holidays_skipped
from assistant.tools import validation
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.claude_planner import ClaudePlanner
from assistant.tools.department_check import check_departments
from assistant.tools.job_names import check_job_names
from assistant.tools.planner_quota import PlannerQuota
from assistant.tools.stage_check import check_stage
from models.clock import utc
from models.errors import NotFound, PlanLimit, SkilltickError
from models.limits import TEXT_MAX, check_text
from models.store.calendars import holiday_days
from models.store.orgs import get_org, list_users
from skills.ats.demo import DemoAts
from skills.ats.unmirrored import unmirrored_refusal
from skills.base import validate_params
from worker.run.plan_limits import check_can_activate, check_frequency
from worker.schedule.holidays import holiday_runs, next_working_fire
from worker.schedule.parse import Schedule, load_zone


class UnderstandingTools(AutomationTools):
    """Requests read into drafts and checked against the organisation."""

    @cached_property
    def claude_planner(self) -> ClaudePlanner | None:
        """Claude's planner when an API key is set: one for the tool set's life, so its client
        and connections are reused; building it starts loading the SDK in the background."""
        return ClaudePlanner.from_settings(self.registry, self.settings.anthropic)

    @cached_property
    def planner_quota(self) -> PlannerQuota:
        """How many requests Claude read for each person in the last hour."""
        return PlannerQuota(self.settings.anthropic.planner_requests_per_hour)

    def claude_reads(self, actor: Actor) -> bool:
        """Whether Claude would read the actor's next request (a key is set, and they are
        under the hourly limit)."""
        return bool(self.settings.anthropic.api_key) and self.planner_quota.allows(
            actor.user_id, self.clock()
        )

    def understand(
        self,
        actor: Actor,
        text: str,
        tz: str | None = None,
        now: datetime | None = None,
        *,
        via: str | None = None,
        llm: bool = True,
        slack_channel: str | None = None,
    ) -> Draft:
        """Read a request in plain words; never creates anything. The time zone is the
        requester's, else the organisation's, else UTC; plan limits and missing skills are
        noted in the summary. With ANTHROPIC_API_KEY set Claude plans it (llm=False: never),
        falling back to the deterministic parser when the API fails, and past the person's
        hourly number of requests Claude reads (saying so once). `slack_channel`: the
        Slack channel the request was said in ("post it here")."""
        check_text(text, "The request", TEXT_MAX)  # reading takes time growing with length
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
                slack_channel=slack_channel,
            )
            if draft.ok:
                _fit_params(self, draft)
                draft.write_summary()
            return draft

        planner = self.claude_planner if llm else None
        limited = planner is not None and not self.planner_quota.take(actor.user_id, moment)
        if planner is None or limited:
            drafted = deterministic()
            # said on a draft: a question says only what it asks, and the next draft tells
            told = self.planner_quota.note_once if limited and drafted.ok else None
            said = told(actor.user_id, moment, zone) if told else None
            if said:
                drafted.notes.append(said)
                drafted.write_summary()
        else:
            drafted = planner.plan(
                text,
                zone,
                moment,
                via=via or "email",
                plan_check=plan_check,
                fallback=deterministic,
            )[0]
        drafted = self.holidays_checked(actor, text, self.mirror_checked(actor, drafted), moment)
        drafted = self.departments_checked(actor, drafted)
        drafted = self._stage_checked(actor, drafted)
        return self.activation_checked(actor, self.job_names_checked(actor, drafted))

    def mirror_checked(self, actor: Actor, draft: Draft) -> Draft:
        """The draft, or a one-line answer when the organisation's ATS cannot give its skill
        what it reads (skills.ats.unmirrored): nothing is offered that would always send
        nothing."""
        if not draft.ok or not (
            refusal := unmirrored_refusal(self.engine, actor.org_id, draft.skill)
        ):
            return draft
        draft.status, draft.question = "question", refusal
        draft.schedule, draft.next_runs = None, []
        draft.write_summary()
        return draft

    def holidays_checked(self, actor: Actor, text: str, draft: Draft, now: datetime) -> Draft:
        """The draft with the organisation's holidays on its runs of the next 90 days: those it
        skips (left out of its next runs), or those it would run on. Words asking to skip them
        count whoever read the request (Claude's plan too)."""
        if draft.ok and not draft.skip_holidays and take_holiday_words(text)[1]:
            draft = with_holidays_skipped(draft)
        schedule = draft.schedule
        if not draft.ok or draft.trigger_type != "cron" or schedule is None:
            return draft
        if schedule.kind == "once":
            return draft
        days = holiday_days(self.engine, actor.org_id)
        if draft.skip_holidays and not days:
            draft.notes.append(NO_HOLIDAYS_YET)
        zone = load_zone(schedule.tz)
        runs = holiday_runs(schedule, days, now, now + timedelta(days=AHEAD_DAYS)) if days else []
        draft.holiday_days = sorted({t.astimezone(zone).date() for t in runs})
        if draft.skip_holidays and runs:
            first = next_working_fire(schedule, now, days)
            draft.next_runs = [first] if first else []
            while first is not None and len(draft.next_runs) < 3:
                first = next_working_fire(schedule, first, days)
                draft.next_runs += [first] if first else []
        draft.write_summary()
        return draft

    def departments_checked(self, actor: Actor, draft: Draft) -> Draft:
        """The draft with its departments as the organisation's jobs spell them, or a one-line
        answer when a department named has no job."""
        if not draft.params.get("departments"):
            return draft
        jobs = DemoAts(self.engine, actor.org_id).jobs()
        titled = [(job.title, job.department) for job in jobs]
        return check_departments(draft, [job.department for job in jobs], titled)

    def _stage_checked(self, actor: Actor, draft: Draft) -> Draft:
        """The draft with its stage as the organisation spells it, or a one-line answer
        naming its stages when the one said is none of them."""
        if not draft.params.get("stage"):
            return draft
        return check_stage(draft, list(DemoAts(self.engine, actor.org_id).stage_counts()))

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


def _fit_params(tools: UnderstandingTools, draft: Draft) -> None:
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
