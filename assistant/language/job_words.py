"""Jobs a change narrows a skill to, said against the ATS's job titles: "only for the
engineering jobs", "just the Backend Engineer role", "for engineering roles". Each word said
must be in a title (in any case, plural or not); a word that matches several titles takes them
all (the read-back names them), one that matches none is asked about, naming the titles there
are. Any skill that declares a list param named `jobs` (job titles) is narrowed this way."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from skills.param_words import SpecsBySkill

JOB_NOUN = r"\b(?:jobs?|roles?|positions?|openings?|reqs?|requisitions?|vacanc(?:y|ies))\b"
_JOB_NOUN = JOB_NOUN
_SAID = re.compile(
    r"\b(?:(?:only|just)\s+(?:for\s+|on\s+)?|for\s+(?:only\s+)?)(?:the\s+|our\s+|my\s+)?"
    rf"(?P<what>[\w][\w ,/&+.-]*?)\s+{_JOB_NOUN}\b"
    rf"|\b(?:only|just)\s+(?:for\s+|on\s+)?(?:the\s+)?{_JOB_NOUN}\s+(?:of\s+|for\s+)?"
    r"(?P<after>[\w][\w /&+.-]*?)\s*$",
    re.I,
)
_EVERY = re.compile(rf"\b(?:all|every|any)\s+(?:the\s+)?{_JOB_NOUN}\b", re.I)


@dataclass(frozen=True, slots=True)
class JobsSaid:
    """The titles chosen (`titles`), or the question to ask (`question`); `said` the words."""

    said: str
    titles: tuple[str, ...] = ()
    question: str | None = None


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _in_title(word: str, title: str) -> bool:
    """A word said is in a title as one of its words or their forms ("engineering" and
    "Engineer", "analysts" and "Analyst")."""
    for part in (_stem(w) for w in re.split(r"[\s/&+,()-]+", title) if w):
        if part == word or (min(len(part), len(word)) >= 4 and word.startswith(part)):
            return True
    return False


def takes_jobs(skill: str, specs: SpecsBySkill) -> bool:
    """Whether the skill declares a list of job titles to keep to."""
    spec = specs.get(skill)
    param = spec.params.get("jobs") if spec else None
    return param is not None and param.type == "list"


def read_jobs(request: str, titles: Sequence[str]) -> JobsSaid | None:
    """The jobs `request` narrows to among `titles`; None when it names no jobs."""
    if _EVERY.search(request):
        return JobsSaid("every job")
    m = _SAID.search(request.strip().rstrip(".!?"))
    if m is None:
        return None
    said = (m.group("what") or m.group("after") or "").strip()
    words = [_stem(w) for w in re.split(r"[\s/&+,-]+", said) if w]
    if not words:
        return None
    chosen = titles_named(said, titles)
    if not chosen and len(parts := _LIST.split(said)) > 1:
        # "the Backend and Data jobs": the titles of each name said
        for part in parts:
            found = titles_named(part, titles)
            if not found:
                return _unknown(part, titles)
            chosen += found
    if not chosen:
        return _unknown(said, titles)
    return JobsSaid(said, tuple(dict.fromkeys(chosen)))


_LIST = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", re.I)


def titles_named(said: str, titles: Sequence[str]) -> list[str]:
    """The titles one name said means: the one it spells, else those holding each word."""
    words = [_stem(w) for w in re.split(r"[\s/&+,-]+", said.strip()) if w]
    exact = [t for t in titles if t.lower() == said.strip().lower()]
    return exact or [t for t in titles if words and all(_in_title(w, t) for w in words)]


def _unknown(said: str, titles: Sequence[str]) -> JobsSaid:
    known = ", ".join(sorted(set(titles))) or "none yet"
    return JobsSaid(said, question=f"No job is called “{said.strip()}”. The jobs are: {known}.")


def which_job(said: str, titles: Sequence[str]) -> str:
    """The question asked when a job name said is several titles' (job_choices reads it)."""
    listed = ", ".join(titles[:-1]) + f" or {titles[-1]}"
    return f"Which job do you mean by “{said}”: {listed}?"


_WHICH_JOB = re.compile(r"Which job do you mean by “(?P<said>[^”]+)”: (?P<titles>.+)\?")


def job_choices(question: str) -> list[str]:
    """The titles a which_job question offers (buttons); empty for any other question."""
    m = _WHICH_JOB.fullmatch(question.strip())
    if m is None:
        return []
    head, _, last = m.group("titles").rpartition(" or ")
    return [*head.split(", "), last] if head else [last]


def job_in_answer(question: str, request: str, answer: str) -> str | None:
    """The request with the job name a which_job question asked about said as the title
    answered ("Frontend Engineer", "frontend"), to be read again; None when the question is
    another or the answer is not one of the titles offered."""
    m = _WHICH_JOB.fullmatch(question.strip())
    if m is None:
        return None
    offered = job_choices(question)
    said = answer.strip().rstrip(".!").removeprefix("the ").strip()
    chosen = [t for t in offered if t.casefold() == said.casefold()] or titles_named(said, offered)
    if len(chosen) != 1:
        return None
    where = re.search(rf"(?<![\w]){re.escape(m.group('said'))}(?!\w)", request, re.I)
    if where is None:
        return None
    return request[: where.start()] + chosen[0] + request[where.end() :]
