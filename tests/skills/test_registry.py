"""The skill registry: loading SKILL.md folders, reporting broken ones, checking params."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from models.errors import InvalidInput, NotFound, SkillError
from skills.ats.reader import AtsReader
from skills.base import Gathered, OwnerInfo, SkillContext, validate_params
from skills.builtin import default_registry
from skills.registry import SkillRegistry

GOOD_FRONT_MATTER = """\
name: {name}
description: A test skill.
automationMode: deterministic
params:
  greeting:
    type: string
    default: hello
"""


def write_skill(
    root: Path,
    folder: str,
    front_matter: str,
    *,
    text: str = "{{ greeting }} {{ who }}\n",
    html: str = "<p>{{ greeting }} {{ who }}</p>",
) -> Path:
    skill_dir = root / folder
    skill_dir.mkdir(parents=True)
    (skill_dir / "SKILL.md").write_text(f"---\n{front_matter}---\n\n# Instructions\n\nBe kind.\n")
    (skill_dir / "email.txt.j2").write_text(text)
    (skill_dir / "email.html.j2").write_text(html)
    return skill_dir / "SKILL.md"


def greet(ctx: SkillContext) -> Gathered:
    who = ctx.trigger_data.get("who", "world")
    return Gathered(
        subject="Greetings",
        context={"greeting": ctx.params["greeting"], "who": who},
        summary={"greeted": 1},
    )


def context(params: dict[str, Any] | None = None, **trigger_data: Any) -> SkillContext:
    return SkillContext(
        org_id=1,
        owner=OwnerInfo(1, "owner@example.com", "Owner", "UTC"),
        params=params or {},
        now=datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        tz="UTC",
        triggered_by="test",
        last_success_at=None,
        trigger_data=trigger_data,
        ats=cast(AtsReader, None),  # these skills never read the ATS
    )


def test_builtin_registry_lists_pipeline_report_and_noop_with_their_params() -> None:
    registry = default_registry()
    assert registry.errors == []
    specs = {spec.name: spec for spec in registry.list()}
    assert {"pipeline-report", "noop"} <= set(specs)

    report = specs["pipeline-report"]
    assert report.mode == "hybrid"  # deterministic unless an LLM is set up
    assert report.default_output == "email"
    assert set(report.params) == {"scope", "stale_days", "period", "departments"}
    assert report.params["scope"].choices == ("mine", "organization")
    assert report.params["scope"].default == "mine"
    assert report.params["stale_days"].type == "integer"
    assert report.params["stale_days"].default == 5
    assert report.params["period"].default == "weekly"
    assert "Pipeline report" in report.instructions
    assert report.path is not None and report.path.name == "SKILL.md"

    assert specs["noop"].params == {}
    assert specs["noop"].path is None


def test_default_registry_is_loaded_once() -> None:
    assert default_registry() is default_registry()


def test_noop_returns_a_fixed_tiny_output() -> None:
    output = default_registry().get("noop").run(context())
    assert output.summary == {"noop": True}
    assert output.targets == []
    assert output.skipped_reason is None


def test_unknown_skill_is_refused_with_the_available_names() -> None:
    available = r"Available: candidate-note, event-alert, followups, .*noop, .*workflow"
    with pytest.raises(NotFound, match=r"Unknown skill 'nope'\. " + available):
        default_registry().get("nope")


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        (
            "name: broken\ndescription: x\n  nested: wrong\n",
            "front matter is not valid YAML at line 4: mapping values are not allowed here",
        ),
        ("description: No name.\nautomationMode: deterministic\n", "field 'name' is required"),
        (
            "name: broken\ndescription: Bad mode.\nautomationMode: magic\n",
            "field 'automationMode' must be one of deterministic, llm, hybrid",
        ),
        (
            "name: broken\ndescription: d\nautomationMode: llm\nparams:\n  n:\n    type: number\n",
            "field 'params.n.type' must be one of string, integer, boolean, enum, list",
        ),
        (
            "name: broken\ndescription: d\nautomationMode: llm\nparams:\n"
            "  n:\n    type: integer\n    default: many\n",
            "field 'params.n.default' is not valid",
        ),
        (
            "name: broken\ndescription: d\nautomationMode: llm\ndefaultOutput: fax\n",
            "field 'defaultOutput' must be one of email, slack",
        ),
        ("name: other\ndescription: d\nautomationMode: llm\n", "must match its folder name"),
    ],
    ids=[
        "bad-yaml",
        "missing-name",
        "bad-mode",
        "bad-param-type",
        "bad-default",
        "bad-output",
        "name-mismatch",
    ],
)
def test_a_broken_skill_file_is_reported_by_file_and_field_while_good_skills_load(
    tmp_path: Path, front_matter: str, expected: str
) -> None:
    write_skill(tmp_path, "good", GOOD_FRONT_MATTER.format(name="good"))
    broken = write_skill(tmp_path, "broken", front_matter)

    registry = SkillRegistry(tmp_path, gatherers={"good": greet}, python_skills=())

    assert [spec.name for spec in registry.list()] == ["good"]
    assert len(registry.errors) == 1
    assert registry.errors[0].startswith(f"{broken}: ")
    assert expected in registry.errors[0]


def test_builtin_paths_in_errors_are_relative_to_the_project() -> None:
    from skills.registry import _label

    builtin_file = Path(__file__).parents[2] / "skills/builtin/pipeline-report/SKILL.md"
    assert _label(builtin_file) == "skills/builtin/pipeline-report/SKILL.md"


def test_a_template_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    write_skill(
        tmp_path,
        "good",
        GOOD_FRONT_MATTER.format(name="good"),
        html="<p>\n{% if who %}unclosed</p>\n",
    )
    registry = SkillRegistry(tmp_path, gatherers={"good": greet}, python_skills=())
    assert registry.list() == []
    assert "good/email.html.j2: template syntax error at line" in registry.errors[0]


def test_a_deterministic_skill_without_python_code_is_reported(tmp_path: Path) -> None:
    write_skill(tmp_path, "good", GOOD_FRONT_MATTER.format(name="good"))
    registry = SkillRegistry(tmp_path, gatherers={}, python_skills=())
    assert (
        "good/SKILL.md: deterministic skill 'good' has no Python gather function"
        in (registry.errors[0])
    )


def test_an_llm_skill_loads_but_says_it_cannot_run_yet(tmp_path: Path) -> None:
    write_skill(tmp_path, "thinker", "name: thinker\ndescription: d\nautomationMode: llm\n")
    registry = SkillRegistry(tmp_path, gatherers={}, python_skills=())
    assert registry.errors == []
    with pytest.raises(SkillError, match="llm mode"):
        registry.get("thinker").run(context())


def test_a_template_render_error_is_a_skill_error_naming_the_template(tmp_path: Path) -> None:
    write_skill(
        tmp_path,
        "good",
        GOOD_FRONT_MATTER.format(name="good"),
        text="Hello\n{{ greeting }}\n{{ missing_variable }}\n",
    )
    skill = SkillRegistry(tmp_path, gatherers={"good": greet}, python_skills=()).get("good")
    with pytest.raises(SkillError) as caught:
        skill.run(context())
    assert "good/email.txt.j2 line 3" in caught.value.message
    assert "missing_variable" in caught.value.message


def test_html_templates_escape_and_text_templates_do_not(tmp_path: Path) -> None:
    write_skill(tmp_path, "good", GOOD_FRONT_MATTER.format(name="good"))
    skill = SkillRegistry(tmp_path, gatherers={"good": greet}, python_skills=()).get("good")
    output = skill.run(context(who="<Ann & Bo>"))
    assert output.html == "<p>hello &lt;Ann &amp; Bo&gt;</p>"
    assert output.text == "hello <Ann & Bo>\n"
    assert output.summary == {"greeted": 1}


def test_params_get_their_defaults_and_strings_are_coerced() -> None:
    spec = default_registry().get("pipeline-report").spec
    assert validate_params(spec, {}) == {
        "scope": "mine",
        "stale_days": 5,
        "period": "weekly",
        "departments": [],
    }
    assert validate_params(spec, {"stale_days": "10", "scope": "Organization"}) == {
        "scope": "organization",
        "stale_days": 10,
        "period": "weekly",
        "departments": [],
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"foo": 1},
            "Unknown parameter 'foo' for skill pipeline-report. Known: departments, period, scope, "
            "stale_days",
        ),
        (
            {"stale_days": "five"},
            "Parameter 'stale_days' for skill pipeline-report must be an integer, got 'five'",
        ),
        ({"stale_days": True}, "Parameter 'stale_days'"),
        (
            {"scope": "team"},
            "Parameter 'scope' for skill pipeline-report must be one of mine, "
            "organization, got 'team'",
        ),
    ],
)
def test_bad_params_are_refused_naming_the_param(params: dict[str, Any], message: str) -> None:
    spec = default_registry().get("pipeline-report").spec
    with pytest.raises(InvalidInput) as caught:
        validate_params(spec, params)
    assert message in caught.value.message


def test_running_a_skill_checks_its_params(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="Unknown parameter 'colour'"):
        default_registry().get("pipeline-report").run(context({"colour": "red"}))
