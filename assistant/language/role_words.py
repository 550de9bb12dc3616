"""Recipients named by role ("the hiring managers", "the interviewer", "the candidate") are
people each run of a skill names: the job's hiring manager of an accepted offer, an interview's
interviewer. A skill whose runs name no one in that role (a pipeline report is about no one
job) would send to nobody, so the request is answered before anything is made."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.language.words import SKILL_LABELS
from skills.param_words import SpecsBySkill

# each role: who it is, and what one run is about for the skill to name them
_ROLES = {
    "hiring_manager": ("hiring manager", "job"),
    "interviewer": ("interviewer", "interview"),
    "candidate": ("candidate", "candidate"),
}


def role_question(skill: str, to: Sequence[str], specs: SpecsBySkill) -> str | None:
    """The one-line answer when `to` names a role `skill` does not fill, else None (also when
    the skill is not among `specs`, the caller's SkillRegistry.specs(): no roles to check)."""
    unfilled = unfilled_role(skill, to, specs)
    if unfilled is None:
        return None
    return (
        f"{unfilled}: name who should get it (for example “send it to sam” or an address) or "
        "say “send it to my team”."
    )


def unfilled_role(skill: str, to: Sequence[str], specs: SpecsBySkill) -> str | None:
    """Why `to` reaches no one when it names a role `skill` does not fill ("The pipeline report
    is not about one job, so no hiring manager can be found for it"), else None."""
    spec = specs.get(skill)
    if spec is None:
        return None
    for entry in to:
        role = entry.lower()
        if role in _ROLES and role not in spec.roles:
            who, about = _ROLES[role]
            label = SKILL_LABELS.get(skill, f"the {skill} skill")
            # a skill about one interview, one job, is for the roles it names (a follow-up
            # after an interview is the interviewer's, never the candidate's)
            filled = " and the ".join(_ROLES[r][0] for r in spec.roles if r in _ROLES)
            why = f"is for the {filled}" if filled else f"is not about one {about}"
            return f"{label[0].upper()}{label[1:]} {why}, so no {who} can be found for it"
    return None
