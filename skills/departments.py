"""Matching departments named in words ("engineering", "the Design team") to the departments
an organisation's jobs have: case, a trailing "team" or "department" and a plural do not
matter. Reports keep to the jobs of the departments matched; a name matching none is said
back with the departments there are."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skills.base import SkillContext


def department_key(name: str) -> str:
    words = re.sub(r"[^a-z0-9& ]+", " ", name.lower()).split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] in ("team", "teams", "department", "departments", "dept", "org"):
        words = words[:-1]
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def matching_departments(said: str, departments: Iterable[str]) -> list[str]:
    """The departments `said` names, as the organisation spells them (empty: none)."""
    key = department_key(said)
    return sorted({d for d in departments if d and department_key(d) == key})


def in_departments(department: str, wanted: Sequence[str]) -> bool:
    """Whether a job's department is one of `wanted` (every department when none is)."""
    return not wanted or department_key(department) in {department_key(w) for w in wanted}


def unknown_departments(wanted: Sequence[str], departments: Iterable[str]) -> list[str]:
    """The names in `wanted` that no department is called."""
    known = list(departments)
    return [w for w in wanted if not matching_departments(w, known)]


def unknown_line(unknown: Sequence[str], departments: Iterable[str]) -> str:
    """One line saying no jobs are in these departments, and which departments there are."""
    known = ", ".join(sorted({d for d in departments if d})) or "none yet"
    if len(unknown) == 1:
        return f"No jobs in a '{unknown[0]}' department; the departments are: {known}."
    names = ", ".join(f"'{u}'" for u in unknown[:-1]) + f" or '{unknown[-1]}'"
    return f"No jobs in the {names} departments; the departments are: {known}."


def department_filter(ctx: SkillContext) -> tuple[list[int] | None, str]:
    """The ids of the jobs in the run's `departments` (None: no filter) and what to say of the
    filter after a report's scope ("" when none): the departments kept to, or which names
    match no job's department."""
    wanted = [str(d) for d in ctx.params.get("departments") or []]
    if not wanted:
        return None, ""
    jobs = ctx.ats.jobs()
    kept = [job.id for job in jobs if in_departments(job.department, wanted)]
    said = f"jobs in {', '.join(wanted)}"
    if unknown := unknown_departments(wanted, (job.department for job in jobs)):
        said += ". " + unknown_line(unknown, (job.department for job in jobs)).rstrip(".")
    return kept, said
