"""A draft's stage checked against the organisation's stages before it can be confirmed: a
stage said in words becomes the stage as the ATS spells it ("screening" is "Screen"); a name
that is none of them turns the draft into a one-line answer naming the stages there are, so
nothing is made that would list no one."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.language import Draft
from skills.builtin.stages import matching_stages, stage_key


def stage_line(said: str, stages: Sequence[str]) -> str:
    """One line saying `said` is no stage of the organisation's, and which stages there are."""
    return f"There is no '{said}' stage in your ATS; the stages are: {', '.join(stages)}."


def check_stage(draft: Draft, stages: Sequence[str]) -> Draft:
    """`stages`: the organisation's, in pipeline order (none: nothing is checked)."""
    said = draft.params.get("stage")
    if not draft.ok or not isinstance(said, str) or not said.strip() or not stages:
        return draft
    if spelled := stage_spelled(said, stages):
        draft.params["stage"] = spelled
    else:
        draft.status, draft.question = "question", stage_line(said, stages)
        draft.schedule, draft.next_runs = None, []
    draft.write_summary()
    return draft


def stage_spelled(said: str, stages: Sequence[str]) -> str | None:
    """The organisation's stage `said` names, or the one stage holding its words ("Screen"
    is "Phone Screen" where there is no other screen); None when none or several do."""
    if matching := matching_stages(said, stages):
        return next(stage for stage in stages if stage in matching)
    words = stage_key(said).split()
    holding = [s for s in stages if words and set(words) <= set(stage_key(s).split())]
    return holding[0] if len(holding) == 1 else None
