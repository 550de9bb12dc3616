"""Matching a stage named in words to the organisation's stage names: "screening" is the stage
"Screen", "Interviews" is "Interview"; case, a trailing "stage" and -ing or plural endings do not
matter."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def stage_key(name: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower()).split()
    if words and words[-1] == "stage":
        words = words[:-1]
    stems = []
    for word in words:
        if word.endswith("ing") and len(word) > 5:
            word = word[:-3]
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        stems.append(word)
    return " ".join(stems)


def same_stage(a: str, b: str) -> bool:
    return stage_key(a) == stage_key(b)


def matching_stages(said: str, stages: Iterable[str]) -> set[str]:
    """The organisation's stages `said` names (empty: none of them)."""
    return {stage for stage in stages if same_stage(stage, said)}


@dataclass(frozen=True, slots=True)
class WaitingWords:
    """How a stale-candidate list says what it checks."""

    title: str
    condition: str  # "no contact for 5+ business days", "in Screen for 5+ business days"
    since: str  # before the date the wait started
    nobody: str  # the list when no one waits that long
    note: str  # a stage named that the organisation does not have, said after the intro


def waiting_words(days: int, in_stage: bool, stage: str, known: list[str]) -> WaitingWords:
    """`stage`: the stage asked for ("" for every stage); `known`: the organisation's stages."""
    matched = sorted(matching_stages(stage, known)) if stage else []
    name = matched[0] if len(matched) == 1 else stage
    note = ""
    if stage and not matched:
        note = f" No stage is called “{stage}”: the stages are {', '.join(known) or 'none'}."
    if days == 0:  # everyone, however long they have waited
        where = f"in {name}" if stage else ""
        return WaitingWords(
            title=f"Candidates {where}".rstrip() if in_stage else "Candidates by last contact",
            condition=f"{where} now".lstrip() if in_stage else f"{where} by last contact".lstrip(),
            since="in the stage since" if in_stage else "since",
            nobody=f"Nobody is {where or 'active'} now.",
            note=note,
        )
    if in_stage:
        where = f"in {name}" if stage else "in the same stage"
        return WaitingWords(
            title="Candidates waiting in a stage",
            condition=f"{where} for {days}+ business days",
            since="in the stage since",
            nobody=f"Nobody has been {where} for {days} business days.",
            note=note,
        )
    among = f"in {name}, " if stage else ""
    return WaitingWords(
        title="Candidates waiting for contact",
        condition=f"{among}no contact for {days}+ business days",
        since="since",
        nobody=f"Everyone {among.rstrip(', ')}{' ' if stage else ''}was contacted within "
        f"{days} business days.",
        note=note,
    )
