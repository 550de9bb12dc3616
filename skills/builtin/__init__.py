"""The built-in skills' Python halves.

A SKILL.md skill lives in a folder named after it (`pipeline-report/`: front matter, instructions,
templates). Its data gathering is Python, registered in GATHERERS under the skill's name. Most
templates extend the shared section layout in `_shared/`. Skills with no templates at all (noop)
are plain Python classes in PYTHON_SKILLS.
"""

from __future__ import annotations

import functools

from skills.base import Gather, Gathered, Skill, SkillContext
from skills.builtin import (
    event_alert,
    hiring_metrics,
    notes,
    open_roles,
    people,
    pipeline_report,
    reminders,
    reports,
    work,
)
from skills.builtin.noop import NoopSkill
from skills.registry import BUILTIN_DIR, SkillRegistry


def _scheduled_report(ctx: SkillContext) -> Gathered:
    # a scheduled report sends another built-in skill, looked up when it runs
    return work.scheduled_report(ctx, default_registry())


GATHERERS: dict[str, Gather] = {
    "pipeline-report": pipeline_report.gather,
    "sourcing-recap": reports.sourcing_recap,
    "new-candidate-alert": reports.new_candidate_alert,
    "stale-candidate-sla": reports.stale_candidate_sla,
    "open-roles-report": open_roles.open_roles_report,
    "hiring-metrics": hiring_metrics.hiring_metrics,
    "followups": reports.followups,
    "renewal-reminders": reports.renewal_reminders,
    "interview-prep": people.interview_prep,
    "offer-accepted-alert": people.offer_accepted_alert,
    "interview-briefing": people.interview_briefing,
    "post-interview-followup": people.post_interview_followup,
    "workflow": work.workflow,
    "nurture-sequence": work.nurture_sequence,
    "scheduled-report": _scheduled_report,
    "reminder": reminders.reminder,
    "candidate-note": notes.candidate_note,
    "event-alert": event_alert.event_alert,
}

PYTHON_SKILLS: tuple[Skill, ...] = (NoopSkill(),)


@functools.cache
def default_registry() -> SkillRegistry:
    """The built-in skills, loaded once per process."""
    return SkillRegistry(BUILTIN_DIR, gatherers=GATHERERS, python_skills=PYTHON_SKILLS)
