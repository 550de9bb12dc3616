"""A draft's departments checked against the organisation's jobs before it can be confirmed:
each name said becomes the department as the ATS spells it ("engineering" is "Engineering");
a name no job's department has turns the draft into a one-line answer naming the departments
there are (a change in words is refused with it), so nothing is made that would report on no
job."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.language import Draft
from models.errors import InvalidInput
from skills.departments import matching_departments, unknown_departments, unknown_line


def check_departments(
    draft: Draft, departments: Sequence[str], jobs: Sequence[tuple[str, str]] = ()
) -> Draft:
    """`departments`: those of the organisation's jobs; `jobs`: their (title, department).
    The draft, its departments spelled as the ATS spells them, or answered when one matches
    no job's department (naming the job's department when it is a job's title)."""
    said = draft.params.get("departments")
    if not draft.ok or not isinstance(said, list) or not said:
        return draft
    try:
        draft.params["departments"] = departments_spelled(said, departments)
    except InvalidInput as exc:
        draft.status, draft.question = "question", _job_line(said, jobs) or str(exc)
        draft.schedule, draft.next_runs = None, []
    draft.write_summary()
    return draft


def departments_spelled(said: Sequence[Any], departments: Sequence[str]) -> list[str]:
    """The departments named, as the organisation's jobs spell them; InvalidInput (one line
    naming the departments there are) when one names none of them."""
    if unknown := unknown_departments([str(s) for s in said], departments):
        raise InvalidInput(unknown_line(unknown, departments))
    spelled: list[str] = []
    for name in said:
        spelled.extend(matching_departments(str(name), departments))
    return list(dict.fromkeys(spelled))


def _job_line(said: Sequence[Any], jobs: Sequence[tuple[str, str]]) -> str | None:
    """ "only for the Backend Engineer role" on a report that keeps to departments: one line
    naming the job's department, when a name said is a job's title."""
    for name in said:
        for title, department in jobs:
            if department and str(name).strip().lower() == title.lower():
                return (
                    f"It keeps to departments, not single jobs: the {title} job is in "
                    f"{department}; say “only {department} jobs” to keep to those."
                )
    return None
