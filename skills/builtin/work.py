"""Skills whose work is actions rather than a report: workflow, nurture-sequence and
scheduled-report (any report, on a cadence, to a list of recipients)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from models.errors import NotFound, SkillError, SkilltickError
from skills.actions import ActionResult, PlannedAction, render_text
from skills.ats.reader import AtsReader
from skills.ats.records import ApplicationInfo, CandidateInfo
from skills.base import Gathered, SkillContext, TargetRef
from skills.builtin._fmt import trigger_id, user_addressee
from skills.calendar import WorkingHours, next_working_moment, zone
from skills.registry import SkillRegistry, TemplateSkill

REPORTS = (
    "pipeline-report",
    "sourcing-recap",
    "stale-candidate-sla",
    "followups",
    "renewal-reminders",
)


def _template_context(
    ctx: SkillContext, candidate: CandidateInfo, app: ApplicationInfo | None
) -> dict[str, Any]:
    return {
        "candidate": {
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "name": candidate.display_name,
        },
        "job": {"title": app.job_title if app else "", "department": app.department if app else ""},
        "stage": app.stage if app else "",
        "sender": {"name": ctx.owner.name or "The recruiting team"},
    }


def _application(
    ats: AtsReader, candidate_id: int, application_id: object
) -> ApplicationInfo | None:
    apps = ats.applications_of(candidate_id)
    chosen = (
        [a for a in apps if a.id == application_id]
        or [a for a in apps if a.status == "active"]
        or apps
    )
    return chosen[0] if chosen else None


def _candidate_of(ctx: SkillContext) -> int:
    """The event's candidate: named, else the candidate of its application or interview (an
    ATS may send an interview's event with those alone)."""
    data = ctx.trigger_data
    if data.get("candidate_id") is None:
        if data.get("application_id") is not None:
            application = trigger_id(ctx, "application_id", "workflow", "application.created")
            return ctx.ats.application(application).candidate_id
        if data.get("interview_id") is not None:
            interview = trigger_id(ctx, "interview_id", "workflow", "interview.scheduled")
            return ctx.ats.interview(interview).candidate_id
    return trigger_id(ctx, "candidate_id", "workflow", "candidate.stage_changed")


def workflow(ctx: SkillContext) -> Gathered:
    """Run the automation's actions, in order, for the candidate of the triggering event."""
    ats = ctx.ats
    candidate_id = _candidate_of(ctx)
    candidate = ats.candidate(candidate_id)
    app = _application(ats, candidate_id, ctx.trigger_data.get("application_id"))
    values = _template_context(ctx, candidate, app)
    planned: list[PlannedAction] = []
    for number, spec in enumerate(ctx.params["actions"], start=1):
        where = f"action {number} ({spec['type']})"
        action = PlannedAction(spec["type"], {"candidate_id": candidate_id})
        try:
            if spec["type"] == "send_email":
                _plan_email(ctx, action, spec, candidate, app, values, where)
            elif spec["type"] == "update_field":
                entity_id = (
                    candidate_id if spec["entity"] == "candidate" else (app.id if app else None)
                )
                if entity_id is None:
                    raise SkillError(f"{where}: the candidate has no application to update")
                action.entity, action.entity_id = spec["entity"], entity_id
                action.field_name, action.value = spec["field"], spec["value"]
                action.detail.update(
                    entity=spec["entity"], entity_id=entity_id, field=spec["field"]
                )
            else:
                action.title = render_text(spec["title"], values, where)
                action.due_at = ctx.now + timedelta(days=spec["due_in_days"])
                action.owner_id = (
                    candidate.owner_id if spec["assignee"] == "candidate_owner" else ctx.owner.id
                )
                action.candidate_id = candidate_id
                action.application_id = app.id if app else None
                action.detail.update(due_in_days=spec["due_in_days"])
        except SkilltickError as exc:
            action.error = exc.message
        planned.append(action)
    return Gathered(
        subject=f"Workflow: {len(planned)} actions",
        context={},
        summary={
            "candidate_id": candidate_id,
            "application_id": app.id if app else None,
            "stage": app.stage if app else None,
            "actions": len(planned),
            "from_stage": ctx.trigger_data.get("from_stage"),
            "to_stage": ctx.trigger_data.get("to_stage"),
        },
        targets=[TargetRef("candidate", str(candidate_id))],
        actions=planned,
        deliver=False,
    )


def _plan_email(
    ctx: SkillContext,
    action: PlannedAction,
    spec: dict[str, Any],
    candidate: CandidateInfo,
    app: ApplicationInfo | None,
    values: dict[str, Any],
    where: str,
) -> None:
    to = spec["to"]
    action.detail["to"] = to if to in ("candidate", "owner", "hiring_manager") else "address"
    if to == "candidate":
        action.to_email, action.to_name = candidate.email, candidate.display_name
        action.quiet_tz = candidate.timezone or ctx.org_timezone
    elif to == "owner":
        action.to_email, action.to_name = ctx.owner.email, ctx.owner.name
    elif to == "hiring_manager":
        manager = user_addressee(ctx, "hiring_manager", app.hiring_manager_id if app else None)
        if manager is None:
            raise SkillError(f"{where}: the job has no hiring manager")
        action.to_email, action.to_name = manager.email, manager.name
    else:
        action.to_email = to
    action.subject = render_text(spec["subject"], values, where)
    action.text = render_text(spec["body"], values, where)


def nurture_sequence(ctx: SkillContext) -> Gathered:
    """Send the due steps of every enrolment (run it every minute). A step that fails fails its
    enrolment only; candidates outside their working hours wait for them."""
    steps = ctx.sequences
    if steps is None:
        raise SkillError("Skill nurture-sequence needs the store")
    ats = ctx.ats
    wanted = ctx.params["sequence"]
    hours = WorkingHours.of(ctx.org_settings)
    due = steps.claim_due(ctx.now, ctx.params["batch"])
    if wanted:
        mine = steps.sequence_id(wanted)
        steps.release([d.enrolment_id for d in due if d.sequence_id != mine], ctx.now)
        due = [d for d in due if d.sequence_id == mine]
    planned: list[PlannedAction] = []
    waiting: list[int] = []
    for step in due:
        action = PlannedAction(
            step.action_type,
            {
                "sequence_id": step.sequence_id,
                "enrolment_id": step.enrolment_id,
                "step": step.position,
                "candidate_id": step.candidate_id,
            },
            key=f"enrolment{step.enrolment_id}:step{step.position}",
            tag={"enrolment_id": step.enrolment_id, "position": step.position},
        )
        try:
            candidate = ats.candidate(step.candidate_id)
            tz = zone(candidate.timezone, ctx.org_timezone)
            if step.action_type == "send_email" and next_working_moment(ctx.now, tz, hours):
                waiting.append(step.enrolment_id)  # quiet hours: this step waits
                continue
            app = _application(ats, step.candidate_id, None)
            values = _template_context(ctx, candidate, app)
            where = f"sequence '{step.sequence_name}' step {step.position}"
            if step.action_type == "send_email":
                action.to_email, action.to_name = candidate.email, candidate.display_name
                action.subject = render_text(step.subject, values, where)
                action.text = render_text(step.body, values, where)
                action.detail["to"] = "candidate"
            else:
                action.title = render_text(step.subject, values, where)
                action.due_at = ctx.now + timedelta(days=1)
                action.owner_id, action.candidate_id = candidate.owner_id, step.candidate_id
                action.application_id = app.id if app else None
        except (SkilltickError, NotFound) as exc:
            action.error = exc.message
        planned.append(action)
    steps.release(waiting, ctx.now)
    now = ctx.now

    def advance(results: list[ActionResult]) -> None:
        for result in results:
            tag = result.action.tag
            steps.record_step(
                tag["enrolment_id"],
                tag["position"],
                ok=result.status in ("completed", "skipped"),
                error=result.error,
                now=now,
            )

    summary = {
        "due": len(due),
        "sent": sum(a.action_type == "send_email" for a in planned),
        "tasks": sum(a.action_type == "create_task" for a in planned),
        "waiting_for_working_hours": len(waiting),
        "sequences": sorted({d.sequence_id for d in due}),
    }
    return Gathered(
        subject=f"Sequences: {len(planned)} steps",
        context={},
        summary=summary,
        targets=[
            TargetRef("candidate", str(d.candidate_id))
            for d in due
            if d.enrolment_id not in waiting
        ],
        actions=planned,
        after_actions=advance,
        deliver=False,
        skipped_reason=None if planned else "nothing_due",
    )


def scheduled_report(ctx: SkillContext, registry: SkillRegistry) -> Gathered:
    """Any report skill of `registry`, on the automation's cadence, to the automation's
    recipients."""
    report = ctx.params["report"]
    skill = registry.get(report)
    if not isinstance(skill, TemplateSkill):
        raise SkillError(f"{report} cannot be sent as a scheduled report")
    passed = {"scope": ctx.params["scope"], "departments": ctx.params.get("departments") or []}
    inner_params = {k: v for k, v in passed.items() if k in skill.spec.params}
    output = skill.render(skill.gather(replace(ctx, params=inner_params)))
    return Gathered(
        subject=output.subject,
        context={"inner_text": output.text, "inner_html": output.html},
        summary={"report": report, **output.summary},
        targets=output.targets,
        skipped_reason=output.skipped_reason,
    )
