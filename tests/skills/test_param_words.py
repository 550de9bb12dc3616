"""Every built-in skill's params read as words: for any values its schema allows, the action line
a read-back shows has no brackets, quotes, underscores or param names, and says each value that
was chosen (numbers as numbers, each item of a list, each choice as its skill words it). Params
without declared words read by the generic rule; declared words are checked when a skill loads."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.language.action_words import action_words
from assistant.language.words import NOTE_WORDS, ORGANISATION_PIPELINE
from skills.actions import RECIPIENT_ROLES
from skills.base import INTEGER_PARAM_BOUND, ParamSpec, SkillSpec, validate_params
from skills.builtin import default_registry
from skills.param_words import params_in_words, template_in_words, value_in_words
from skills.registry import SkillRegistry
from tests.examples import examples

SPECS = [spec for spec in default_registry().list() if spec.params]
# params a skill's label says, default or not (which note a candidate-note sends)
LABELLED = {("candidate-note", "kind")}
# a quote around a value (an apostrophe between letters is a possessive: "organisation's")
QUOTE = re.compile(r"(?<![A-Za-z])'|'(?![A-Za-z])|\"")
# a job title, a stage, a reminder: words as people type them
WORD = st.lists(
    st.text(alphabet=string.ascii_letters + string.digits, min_size=2, max_size=9),
    min_size=1,
    max_size=3,
).map(" ".join)


def _text(param: ParamSpec) -> st.SearchStrategy[str]:
    longest = param.max_length or 60
    return WORD.filter(lambda text: len(text) <= longest)


def _action() -> st.SearchStrategy[dict[str, Any]]:
    email = st.fixed_dictionaries(
        {
            "type": st.just("send_email"),
            "to": st.sampled_from(RECIPIENT_ROLES),
            "subject": WORD,
            "body": WORD,
        }
    )
    update = st.fixed_dictionaries(
        {
            "type": st.just("update_field"),
            "entity": st.just("application"),
            "field": st.just("priority"),
            "value": st.sampled_from(["normal", "high"]),
        }
    )
    task = st.fixed_dictionaries(
        {
            "type": st.just("create_task"),
            "title": WORD,
            "due_in_days": st.integers(0, 365),
            "assignee": st.sampled_from(["owner", "candidate_owner"]),
        }
    )
    return st.one_of(email, update, task)


def _value(param: ParamSpec) -> st.SearchStrategy[Any]:
    if param.type == "integer":
        low = param.minimum if param.minimum is not None else -INTEGER_PARAM_BOUND
        high = param.maximum if param.maximum is not None else INTEGER_PARAM_BOUND
        return st.integers(low, high)
    if param.type == "boolean":
        return st.booleans()
    if param.type == "enum":
        return st.sampled_from(param.choices)
    if param.type == "list":
        return st.lists(WORD, min_size=1, max_size=4, unique=True)
    if param.type == "actions":
        return st.lists(_action(), min_size=1, max_size=4)
    return _text(param)


@st.composite
def skill_and_params(draw: st.DrawFn) -> tuple[SkillSpec, dict[str, Any]]:
    spec = draw(st.sampled_from(SPECS))
    required = {name: _value(p) for name, p in spec.params.items() if p.required}
    optional = {name: _value(p) for name, p in spec.params.items() if not p.required}
    return spec, draw(st.fixed_dictionaries(required, optional=optional))


def _said(spec: SkillSpec, name: str, value: Any) -> list[str]:
    """What the words must contain for one chosen value."""
    param = spec.params[name]
    if (spec.name, name) == ("candidate-note", "kind"):
        return [NOTE_WORDS[value]]  # which note is the action's label
    if (spec.name, name, value) == ("pipeline-report", "scope", "organization"):
        return [ORGANISATION_PIPELINE]  # whose pipeline is the action's label
    if param.type in ("enum", "boolean"):
        assert isinstance(param.words, dict)
        return [param.words[str(value).lower() if isinstance(value, bool) else value]]
    if param.type == "list":
        return list(value)
    if param.type == "actions":
        return [a.get("subject") or a.get("title") or a["value"] for a in value]
    return [str(value)]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_builtin_param_declares_its_words(spec: SkillSpec) -> None:
    for name, param in spec.params.items():
        assert param.words, f"{spec.name}: param {name} has no words"
        if isinstance(param.words, dict):
            choices = param.choices if param.type == "enum" else ("true", "false")
            assert sorted(param.words) == sorted(choices), f"{spec.name}.{name}"


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(skill_and_params())
def test_a_readback_says_each_chosen_value_in_words(case: tuple[SkillSpec, dict[str, Any]]) -> None:
    spec, given_params = case
    params = validate_params(spec, given_params)  # defaults added, as stored
    words = action_words(spec.name, params, specs=default_registry().specs())
    assert not re.search(r"[\[\]{}_]", words), words
    assert not QUOTE.search(words), words
    for name, param in spec.params.items():
        assert name not in words or "_" not in name, words
        value = params.get(name)
        if value is None or (value == param.default and (spec.name, name) not in LABELLED):
            continue  # unsaid: a read-back says what was chosen
        if param.type not in ("enum", "boolean"):
            # no param reads as its name and a value (the generic rule, for undeclared words)
            assert f"{name.replace('_', ' ')} {value_in_words(value)}" not in words, words
        for part in _said(spec, name, value):
            if isinstance(value, int) and value >= 60 and "{value} minute{s}" in str(param.words):
                hours, rest = divmod(value, 60)  # a count of minutes is said in hours and minutes
                said = rf"(?<![\d,.]){hours} hours?" + (
                    rf" {rest} minutes?\b" if rest else r"(?! \d)"
                )
                assert re.search(said, words), (name, words)
            elif isinstance(value, int) and not isinstance(value, bool):
                assert re.search(rf"(?<![\d,.]){value}(?![\d,])", words), (name, words)
            else:
                assert part in words, (name, part, words)


def test_a_choice_left_at_its_default_goes_unsaid_and_a_number_is_always_said() -> None:
    spec = default_registry().get("pipeline-report").spec
    stored = validate_params(spec, {})
    assert (
        action_words(spec.name, stored, specs=default_registry().specs())
        == "a summary of your pipeline (pipeline-report), flagging candidates not contacted "
        "for 5 days"
    )
    changed = validate_params(spec, {"stale_days": 1, "period": "daily", "scope": "organization"})
    assert action_words(spec.name, changed, specs=default_registry().specs()) == (
        "a summary of the whole organisation's pipeline (pipeline-report), flagging candidates "
        "not contacted for 1 day, as a daily report"
    )


def test_lists_are_joined_in_words_and_keywords_read_as_alternatives() -> None:
    spec = default_registry().get("new-candidate-alert").spec
    params = validate_params(
        spec, {"jobs": ["Data Engineer", "Designer", "PM"], "keywords": ["Python", "Go"]}
    )
    assert action_words(spec.name, params, specs=default_registry().specs()) == (
        "an alert about new candidates (new-candidate-alert), for Data Engineer, Designer and "
        "PM, mentioning Python or Go, looking back 24 hours on the first run"
    )


def test_workflow_actions_read_in_order_with_their_templates_said() -> None:
    spec = default_registry().get("workflow").spec
    params = validate_params(
        spec,
        {
            "actions": [
                {
                    "type": "send_email",
                    "to": "hiring_manager",
                    "subject": "{{ candidate.first_name }} for {{ job.title }}",
                    "body": "Hi",
                },
                {"type": "create_task", "title": "Call back", "due_in_days": 1},
            ]
        },
    )
    words = action_words(spec.name, params, specs=default_registry().specs())
    assert words == (
        "workflow, doing in order: email the job's hiring manager “the candidate's first name "
        "for the job's title” then a task for you “Call back” due in 1 day"
    )
    assert template_in_words("{% if stage %}Hi {{ stage }}{% endif %}") == "Hi the stage"


def test_params_without_words_read_by_the_generic_rule() -> None:
    spec = SkillSpec(
        name="custom",
        description="A skill of someone's own.",
        mode="deterministic",
        params={
            "job_titles": ParamSpec(type="list", default=[]),
            "only_urgent": ParamSpec(type="boolean", default=False),
            "look_back": ParamSpec(type="enum", choices=("last_week", "last_month")),
            "max_rows": ParamSpec(type="integer", default=10),
        },
        triggers=("cron",),
        default_output="email",
        path=None,
    )
    params = {
        "job_titles": ["Data Engineer", "Designer"],
        "only_urgent": True,
        "look_back": "last_month",
        "max_rows": 10,
    }
    assert params_in_words(spec, params) == [
        "job titles Data Engineer and Designer",
        "only urgent on",
        "look back last month",
        "max rows 10",
    ]
    assert params_in_words(None, {"extra_flag": False}) == ["extra flag off"]


def _skill_folder(tmp_path: Path, words: str) -> Path:
    folder = tmp_path / "probe"
    folder.mkdir()
    (folder / "SKILL.md").write_text(
        "---\nname: probe\ndescription: A probe.\nautomationMode: llm\nparams:\n"
        f"  days:\n    type: integer\n    words: {words}\n"
        "  mode:\n    type: enum\n    choices: [fast, slow]\n"
        "    words: {fast: quickly, slow: slowly}\n---\nProbe.\n",
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ('"for {count} days"', "may only use {value}, {any} and {s}, not {count}"),
        ('"for some days"', "must say where the value goes"),
        ("{a: b}", "must be a text with {value}"),
        ('"for {value days"', "is not a valid template"),
    ],
)
def test_words_a_skill_cannot_use_are_refused_naming_the_field(
    tmp_path: Path, words: str, problem: str
) -> None:
    registry = SkillRegistry(_skill_folder(tmp_path, words), gatherers={}, python_skills=())
    assert "probe" not in registry
    (error,) = registry.errors
    assert "field 'params.days.words'" in error and problem in error, error


def test_declared_words_load_and_read(tmp_path: Path) -> None:
    registry = SkillRegistry(
        _skill_folder(tmp_path, '"within {value} day{s}"'), gatherers={}, python_skills=()
    )
    assert registry.errors == []
    spec = registry.get("probe").spec
    assert params_in_words(spec, {"days": 1, "mode": "slow"}) == ["within 1 day", "slowly"]
    assert params_in_words(spec, {"days": 3}) == ["within 3 days"]
