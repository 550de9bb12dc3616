"""A read-back says a skill's params the way the skills of the tool set that answers declare
them: two registries whose skill of the same name words its params differently each read back
in their own words, whichever was loaded last."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.orgs import get_user
from skills.registry import SkillRegistry

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def registry_saying(root: Path, words: str) -> SkillRegistry:
    """A registry of one skill, `probe`, whose `days` param reads as `words`."""
    folder = root / "probe"
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        "---\nname: probe\ndescription: A probe.\nautomationMode: llm\ntriggers: [cron]\n"
        f"params:\n  days:\n    type: integer\n    words: {words}\n---\nProbe.\n",
        encoding="utf-8",
    )
    registry = SkillRegistry(root, gatherers={}, python_skills=())
    assert registry.errors == []
    return registry


def test_show_reads_params_in_the_words_of_the_tool_sets_own_skills(
    engine: Engine, tmp_path: Path
) -> None:
    within = registry_saying(tmp_path / "a", '"looking within {value} day{s}"')
    over = registry_saying(tmp_path / "b", '"looking over {value} day{s}"')  # loaded last
    org = make_org(engine, NOW, slug="acme")
    actor = Actor.of(get_user(engine, org.member_id))
    for registry, said, unsaid in ((within, "within", "over"), (over, "over", "within")):
        tools = Toolset(engine, load_settings(), registry=registry, clock=lambda: NOW)
        auto = tools.create_automation(
            actor,
            AutomationSpec(
                name=f"Probe {said}",
                skill="probe",
                params={"days": 3},
                trigger_type="cron",
                cron="0 9 * * 1",
                output_channel="email",
                to=["me"],
            ),
        )
        reply = ConversationEngine(tools).handle(Turn(actor, said, tz="UTC"), f"show #{auto.id}")
        action = next(row for row in reply.text.splitlines() if row.startswith("- Action: "))
        assert f"looking {said} 3 days" in action, reply.text
        assert unsaid not in action and "days 3" not in action
