"""Jobs named in a request checked against the organisation's job titles before anything is
made: an event filter's `job` and a skill's `jobs` param are compared with the ATS's titles
exactly (in any case) when they run, so a name that is not a title would never match.

A title said in any case is kept as the ATS spells it; a name that one title holds or starts
with ("Backend" for "Backend Engineer") is taken to mean it, and the read-back says so;
a name several titles hold is asked about, naming them; a name no title holds is answered in
one line naming a few open jobs. With no jobs known at all nothing can be checked: the names
stay as said and the read-back says they must match the ATS's titles exactly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.language import Draft
from assistant.language.job_words import titles_named, which_job
from models.errors import InvalidInput
from skills.ats.records import JobInfo

#: how many open jobs the answer to an unknown name lists
SHOWN_JOBS = 5


class JobQuestion(InvalidInput):
    """A name several titles hold: the question asks which, `titles` are the answers."""

    def __init__(self, message: str, titles: Sequence[str]) -> None:
        super().__init__(message)
        self.titles = list(titles)


@dataclass
class JobsSpelled:
    """The names as the ATS spells them and what the read-back says of them."""

    titles: list[str]
    notes: list[str] = field(default_factory=list)


def matching_titles(said: str, titles: Sequence[str]) -> list[str]:
    """The titles `said` names: the one it spells (any case), else each title it starts
    or whose words hold each of its words."""
    key = said.strip().casefold()
    if not key:
        return []
    exact = [t for t in titles if t.casefold() == key]
    if exact:
        return exact[:1]
    found = [t for t in titles if t.casefold().startswith(key)] + titles_named(said, titles)
    return list(dict.fromkeys(found))


def spell_jobs(said: Sequence[Any], jobs: Sequence[JobInfo]) -> JobsSpelled:
    """The job names `said` as titles of `jobs`; JobQuestion when one names several,
    InvalidInput (one line naming a few open jobs) when one names none."""
    names = [str(s).strip() for s in said if str(s).strip()]
    titles = list(dict.fromkeys(job.title for job in jobs if job.title))
    if not titles:
        quoted = ", ".join(f"“{n}”" for n in names)
        return JobsSpelled(
            names,
            [
                f"No jobs are known yet to check {quoted} against: the job title must match "
                "the ATS's exactly."
            ],
        )
    spelled = JobsSpelled([])
    for name in names:
        found = matching_titles(name, titles)
        if not found:
            raise InvalidInput(unknown_job_line(name, jobs))
        if len(found) > 1:
            raise JobQuestion(which_job(name, found), found)
        if found[0] != name and found[0].casefold() != name.casefold():
            spelled.notes.append(f"I took “{name}” to mean the {found[0]} job.")
        spelled.titles.append(found[0])
    spelled.titles = list(dict.fromkeys(spelled.titles))
    return spelled


def unknown_job_line(name: str, jobs: Sequence[JobInfo]) -> str:
    """One line: no job is called `name`, and a few of the open jobs there are."""
    open_titles = [j.title for j in jobs if j.status.casefold() in ("open", "active", "")]
    shown = list(dict.fromkeys(open_titles or [j.title for j in jobs]))
    listed = ", ".join(shown[:SHOWN_JOBS]) + (", …" if len(shown) > SHOWN_JOBS else "")
    return f"No job is called “{name}”; the open jobs include: {listed}."


def _said(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def spell_event_job(event_filter: dict[str, Any], jobs: Sequence[JobInfo]) -> list[str]:
    """An event filter's `job` spelled as the ATS spells it, in place; the notes to say."""
    if not event_filter.get("job"):
        return []
    said = event_filter["job"]
    spelled = spell_jobs(_said(said), jobs)
    event_filter["job"] = spelled.titles if isinstance(said, list) else spelled.titles[0]
    return spelled.notes


def spell_job_params(params: dict[str, Any], jobs: Sequence[JobInfo]) -> list[str]:
    """A `jobs` param spelled as the ATS spells its titles, in place; the notes to say."""
    if not params.get("jobs") or not isinstance(params["jobs"], list):
        return []
    spelled = spell_jobs(params["jobs"], jobs)
    params["jobs"] = spelled.titles
    return spelled.notes


def check_job_names(draft: Draft, jobs: Sequence[JobInfo]) -> Draft:
    """The draft, its job names spelled as the ATS spells them (the read-back saying what a
    partial name was taken to mean), or a question when one names several jobs or none."""
    if not draft.ok or not (draft.event_filter.get("job") or draft.params.get("jobs")):
        return draft
    try:
        notes = spell_event_job(draft.event_filter, jobs)
        notes += spell_job_params(draft.params, jobs)
    except InvalidInput as exc:
        draft.status, draft.question = "question", str(exc)
        draft.schedule, draft.next_runs = None, []
    else:
        draft.notes.extend(n for n in dict.fromkeys(notes) if n not in draft.notes)
    draft.write_summary()
    return draft
