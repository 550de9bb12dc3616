"""The built-in skills' Python halves.

A SKILL.md skill lives in a folder named after it (`pipeline-report/`: front matter, instructions,
templates). Its data gathering is Python, in a module named after it with underscores
(`pipeline_report.py`, since a hyphenated folder cannot be imported), registered in GATHERERS.
Skills with no templates at all (noop) are plain Python classes in PYTHON_SKILLS.
"""

from __future__ import annotations

from skills.base import Gather, Skill
from skills.builtin import pipeline_report
from skills.builtin.noop import NoopSkill

GATHERERS: dict[str, Gather] = {
    "pipeline-report": pipeline_report.gather,
}

PYTHON_SKILLS: tuple[Skill, ...] = (NoopSkill(),)
