"""`noop`: does nothing, quickly. Benchmarks and worker tests use it to measure the machinery
around a skill (claiming, logging, delivery) without any ATS reads or rendering."""

from __future__ import annotations

from skills.base import SkillContext, SkillOutput, SkillSpec


class NoopSkill:
    spec = SkillSpec(
        name="noop",
        description="Does nothing and returns a fixed tiny output (benchmarks and tests).",
        mode="deterministic",
        params={},
        triggers=("cron", "event", "poll"),
        default_output="noop",
        path=None,
        hidden=True,
    )

    def run(self, ctx: SkillContext) -> SkillOutput:
        return SkillOutput(
            subject="noop", text="noop\n", html="<p>noop</p>", summary={"noop": True}
        )
