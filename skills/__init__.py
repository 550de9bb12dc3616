"""Skills: named units of work that automations run (pipeline-report, noop, ...).

A skill is declared by a SKILL.md (front matter + instructions) with Jinja2 templates, and its
data gathering is Python reading the ATS through `AtsReader`; see skills.registry.
"""

from skills.ats.demo import DemoAts
from skills.ats.reader import AtsReader
from skills.ats.seed import DemoOrg, seed_demo
from skills.base import (
    OwnerInfo,
    ParamSpec,
    Skill,
    SkillContext,
    SkillOutput,
    SkillSpec,
    TargetRef,
    validate_params,
)
from skills.builtin import default_registry
from skills.registry import SkillRegistry

__all__ = [
    "AtsReader",
    "DemoAts",
    "DemoOrg",
    "OwnerInfo",
    "ParamSpec",
    "Skill",
    "SkillContext",
    "SkillOutput",
    "SkillRegistry",
    "SkillSpec",
    "TargetRef",
    "default_registry",
    "seed_demo",
    "validate_params",
]
