"""A name skilltick generated follows every change of the automation's schedule or skill; a name
a person gave stays whatever changes. Every interface edits through update_automation, so the
rule is checked there and once through words."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.orgs import get_user
from tests.examples import examples

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SKILLS = ("pipeline-report", "sourcing-recap", "stale-candidate-sla", "noop")
DAY_WORDS = ("Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays")


@dataclass(frozen=True)
class Shape:
    """What an automation does and when, from which its expected name is written by hand."""

    skill: str
    days: frozenset[int]  # cron day numbers, 0 = Sunday
    hour: int
    minute: int

    def cron(self) -> str:
        days = "*" if len(self.days) == 7 else ",".join(str(d) for d in sorted(self.days))
        return f"{self.minute} {self.hour} * * {days}"

    def name(self) -> str:
        what = {
            "pipeline-report": "Pipeline report",
            "sourcing-recap": "Sourcing recap",
            "stale-candidate-sla": "Stale candidate SLA",
            "noop": "Noop",
        }[self.skill]
        if len(self.days) == 7:
            when = "daily"
        elif self.days == frozenset({1, 2, 3, 4, 5}):
            when = "weekdays"
        elif self.days == frozenset({0, 6}):
            when = "weekends"
        else:
            monday_first = [DAY_WORDS[d] for d in sorted(self.days, key=lambda d: (d + 6) % 7)]
            when = (
                monday_first[0]
                if len(monday_first) == 1
                else ", ".join(monday_first[:-1]) + " and " + monday_first[-1]
            )
        return f"{what}, {when} {self.hour}:{self.minute:02d}"


shapes = st.builds(
    Shape,
    skill=st.sampled_from(SKILLS),
    days=st.frozensets(st.integers(0, 6), min_size=1),
    hour=st.integers(0, 23),
    minute=st.sampled_from((0, 5, 15, 30, 45, 59)),
)


def edits(shape: Shape) -> st.SearchStrategy[tuple[Shape, dict[str, Any]]]:
    """One change as an interface would send it, with the shape it leaves."""
    return st.one_of(
        st.frozensets(st.integers(0, 6), min_size=1).map(lambda d: replace(shape, days=d)),
        st.tuples(st.integers(0, 23), st.integers(0, 59)).map(
            lambda t: replace(shape, hour=t[0], minute=t[1])
        ),
        st.sampled_from(SKILLS).map(lambda s: replace(shape, skill=s)),
    ).map(lambda after: (after, _changes(shape, after)))


def _changes(before: Shape, after: Shape) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if after.cron() != before.cron():
        changes["cron"] = after.cron()
    if after.skill != before.skill:
        changes["skill"], changes["params"] = after.skill, {}
    return changes or {"timezone": "Europe/London"}


@st.composite
def histories(draw: st.DrawFn) -> tuple[Shape, list[tuple[Shape, dict[str, Any]]]]:
    shape = first = draw(shapes)
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        shape, change = draw(edits(shape))
        steps.append((shape, change))
    return first, steps


SLUGS = itertools.count()
GIVEN_NAMES = st.sampled_from(("Friday wrap", "Dana's Monday numbers", "Pipeline report"))


@settings(
    max_examples=examples(120),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=histories(), given_name=st.none() | GIVEN_NAMES)
def test_a_generated_name_follows_each_change_and_a_given_one_stays(
    engine: Engine,
    history: tuple[Shape, list[tuple[Shape, dict[str, Any]]]],
    given_name: str | None,
) -> None:
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    org = make_org(engine, NOW, slug=f"org{next(SLUGS)}")
    me = Actor.of(get_user(engine, org.member_id))
    first, steps = history
    made = tools.create_automation(
        me,
        AutomationSpec(
            name=given_name or first.name(),
            skill=first.skill,
            cron=first.cron(),
            timezone="UTC",
            output_channel="noop",
        ),
    )
    for shape, change in steps:
        view = tools.update_automation(me, made.id, change)
        assert view.name == (given_name or shape.name()), change


def test_words_edit_a_generated_name_and_leave_a_renamed_one(engine: Engine) -> None:
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    org = make_org(engine, NOW)
    me = Actor.of(get_user(engine, org.member_id))
    draft = tools.draft_automation(
        me, "every monday at 9am send me a summary of my pipeline", tz="Europe/London"
    )
    assert draft.id is not None, draft.question
    made = tools.confirm_draft(me, draft.id)
    assert made.name == "Pipeline report, Mondays 9:00"
    said = [
        ("actually make it tuesdays", "Pipeline report, Tuesdays 9:00"),
        ("change it to 7:30", "Pipeline report, Tuesdays 7:30"),
        ("rename it to Friday wrap", "Friday wrap"),
        ("make it wednesdays", "Friday wrap"),
    ]
    for words, name in said:
        assert tools.update_in_words(me, made.id, words).name == name, words
