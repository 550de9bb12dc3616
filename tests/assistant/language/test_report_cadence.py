"""A report's params follow how often it runs, in a new request and in a change: a pipeline
report every other week is fortnightly (its wording, and the two weeks its first report covers),
a sourcing recap looks back as far as its runs are apart; a change of time alone keeps them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.language.edits import changes_in_words
from assistant.language.understand import understand
from models.tables.automations import Automation
from skills.builtin import default_registry

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
# (how often, in words; pipeline-report period; sourcing-recap days)
CADENCES = [
    ("every weekday at 9am", "daily", 1),
    ("every day at 8am", "daily", 1),
    ("every monday at 9am", "weekly", 7),
    ("every monday and thursday at 9am", "weekly", 7),
    ("every other monday at 9am", "fortnightly", 14),
    ("every 2 weeks on friday at 4pm", "fortnightly", 14),
    ("on the 1st of every month at 9am", "monthly", 30),
]


@pytest.mark.parametrize(("when", "period", "days"), CADENCES)
def test_a_new_report_takes_the_period_of_its_runs(when: str, period: str, days: int) -> None:
    pipeline = understand(f"{when} send me a summary of my pipeline", tz="UTC", now=NOW)
    assert pipeline.ok and pipeline.params["period"] == period, (when, pipeline.question)
    recap = understand(f"{when} send me a recap of sourcing", tz="UTC", now=NOW)
    assert recap.ok and recap.params["days"] == days, (when, recap.question)


def test_the_skill_takes_every_period_the_parser_gives() -> None:
    spec = default_registry().get("pipeline-report").spec
    choices = set(spec.params["period"].choices or [])
    assert {p for _, p, _ in CADENCES} <= choices


def _report(skill: str, cron: str, params: dict[str, object]) -> Automation:
    return Automation(
        org_id=1,
        owner_id=1,
        name="Report",
        skill=skill,
        params=params,
        trigger_type="cron",
        cron_expression=cron,
        timezone="UTC",
        output_channel="email",
        output_config={"to": ["me"]},
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_change_of_cadence_changes_the_period() -> None:
    weekly = _report("pipeline-report", "0 9 * * 1", {"scope": "mine", "period": "weekly"})
    for said in ("send it every other week instead", "biweekly", "make it every 2 weeks"):
        changes = changes_in_words(weekly, said, NOW)
        assert changes["params"] == {"scope": "mine", "period": "fortnightly"}, said
    daily = changes_in_words(weekly, "make it every weekday", NOW)
    assert daily["params"]["period"] == "daily"
    recap = _report("sourcing-recap", "0 9 * * 1", {"days": 7})
    assert changes_in_words(recap, "every other week", NOW)["params"] == {"days": 14}


def test_a_change_of_time_alone_keeps_the_params() -> None:
    # a weekly wording chosen on a daily schedule is kept when only the time moves
    chosen = _report("pipeline-report", "0 9 * * 1-5", {"scope": "mine", "period": "weekly"})
    for said in ("move it to 8am", "an hour later", "skip fridays"):
        assert "params" not in changes_in_words(chosen, said, NOW), said


@pytest.mark.parametrize(
    ("when", "noted"),
    [
        ("every minute", True),
        ("every 2 hours", True),
        ("every weekday at 9am and 5pm", True),
        ("every day at 8am", False),
        ("every monday at 9am", False),
    ],
)
def test_a_report_oftener_than_daily_says_what_each_covers(when: str, noted: bool) -> None:
    """Its wording is a daily report's: the read-back says each covers only the time since
    the previous one."""
    for what in ("my pipeline summary", "my sourcing recap"):
        draft = understand(f"{when} send me {what}", tz="UTC", now=NOW)
        assert draft.ok, (when, draft.question)
        said = any("more often than daily" in note for note in draft.notes)
        assert said == noted, (when, what, draft.notes)
