"""Changing what an automation does by words, read in process against every built-in skill:
an amount said in any unit of time sets the param that counts in it (the expected value worked
out here from the amount, not by the reader), a stage or a scope as a new request says it, an
event's stages and jobs. Hints after an unclear change: test_edit_hints.py; a param read back:
test_param_readback.py."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from assistant.language.edits import changes_in_words
from assistant.language.param_edits import unit_of
from models.errors import InvalidInput
from models.tables.automations import Automation
from tests.assistant.language.param_edit_support import (
    MINUTES,
    NOW,
    SPECS,
    TITLES,
    automation,
)


def counted_params() -> list[tuple[str, str, str]]:
    """(skill, param, unit) for every integer param a built-in skill counts in a unit."""
    return [
        (skill, name, unit)
        for skill, spec in sorted(SPECS.items())
        for name, param in spec.params.items()
        if (unit := unit_of(param)) is not None
    ]


def test_every_param_counted_in_a_unit_is_found() -> None:
    found = {(skill, name) for skill, name, _ in counted_params()}
    assert ("stale-candidate-sla", "business_days") in found
    assert ("renewal-reminders", "offer_days") in found
    assert ("new-candidate-alert", "since_hours") in found


def _said_in(unit: str, value: int, rng: random.Random) -> tuple[str, int] | None:
    """A way to say `value` of `unit` (possibly in a larger unit), and the amount said."""
    business = unit.startswith("business")
    base = unit.split()[-1]
    options = [(f"{value} {unit}{'' if value == 1 else 's'}", value)]
    if business and value % 5 == 0:
        options.append((f"{value // 5} week{'' if value == 5 else 's'}", value))
    elif base in MINUTES and not business:
        for bigger in ("hour", "day", "week"):
            size = MINUTES[bigger] // MINUTES[base]
            if MINUTES[bigger] > MINUTES[base] and value % size == 0:
                count = value // size
                options.append((f"{count} {bigger}{'' if count == 1 else 's'}", value))
    return rng.choice(options)


@pytest.mark.parametrize(("skill", "name", "unit"), counted_params())
def test_an_amount_sets_the_param_counted_in_its_unit(skill: str, name: str, unit: str) -> None:
    rng = random.Random(f"{skill}.{name}")
    param = SPECS[skill].params[name]
    others = [n for n, p in SPECS[skill].params.items() if n != name and unit_of(p) == unit]
    which = ""
    if others:  # a word of its own says which
        own = re.findall(r"[a-z]{4,}", str(param.words))
        which = " for " + next(w for w in own if w not in str(SPECS[skill].params[others[0]].words))
    trigger = {"trigger_type": "event", "cron_expression": None} if skill == "workflow" else {}
    values = {param.minimum or 1, param.maximum or 500, rng.randint(1, param.maximum or 500)}
    for value in values - {param.default}:  # its default is the value it has already
        said, expected = _said_in(unit, value, rng) or ("", 0)
        for lead in ("make it ", "", "change it to "):
            auto = automation(skill, **trigger)
            changes = changes_in_words(auto, f"{lead}{said}{which}", NOW, specs=SPECS)
            assert changes["params"][name] == expected, (said, changes)
            # nothing else about it changes
            assert set(changes) == {"params"}
            rest = {k: v for k, v in changes["params"].items() if k != name}
            assert rest == {k: v for k, v in auto.params.items() if k != name}


def test_an_amount_out_of_range_is_refused_with_the_range() -> None:
    with pytest.raises(InvalidInput, match=r"^300 days is out of range: it takes 1 to 260"):
        changes_in_words(automation("stale-candidate-sla"), "make it 300 days", NOW, specs=SPECS)


def test_an_amount_two_params_count_in_asks_which() -> None:
    with pytest.raises(InvalidInput, match=r"^Which should be 10 days: “contracts ending"):
        changes_in_words(automation("renewal-reminders"), "make it 10 days", NOW, specs=SPECS)
    changes = changes_in_words(
        automation("renewal-reminders"), "offers within 10 days", NOW, specs=SPECS
    )
    assert changes["params"] == {"contract_days": 30, "offer_days": 10}


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("make it 3 days", {"business_days": 3}),
        ("3 days instead of 5", {"business_days": 3}),
        ("make it 2 weeks", {"business_days": 10}),
        ("stuck in offer for 10 days", {"stage": "Offer", "business_days": 7}),
        ("only those in interview", {"stage": "Interview"}),
        ("in every stage", {"stage": ""}),
        ("for the whole team", {"scope": "organization"}),
        ("since their last contact", {"measure": "contact"}),
        ("make it 6 business days", {"business_days": 6}),
    ],
)
def test_what_a_check_keeps_to_changes_as_a_new_request_says_it(
    said: str, expected: dict[str, Any]
) -> None:
    auto = automation(
        "stale-candidate-sla",
        params={"scope": "mine", "business_days": 5, "measure": "stage", "stage": "Screen"},
    )
    changes = changes_in_words(auto, said, NOW, specs=SPECS)
    assert changes == {"params": {**auto.params, **expected}}


def test_a_second_stage_for_a_one_stage_check_says_what_can_be_done() -> None:
    auto = automation("stale-candidate-sla", params={"stage": "Screen", "business_days": 5})
    with pytest.raises(
        InvalidInput, match="It checks one stage, Screen: say “only those in Offer”"
    ):
        changes_in_words(auto, "also include offer stage too", NOW, specs=SPECS)


def prep() -> Automation:
    return automation(
        "interview-prep",
        trigger_type="event",
        cron_expression=None,
        event_type="candidate.stage_changed",
        event_filter={"to_stage": "Interview"},
        params={},
    )


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("also when they reach offer", {"to_stage": ["Interview", "Offer"]}),
        ("also when a candidate moves to Offer", {"to_stage": ["Interview", "Offer"]}),
        ("include offer too", {"to_stage": ["Interview", "Offer"]}),
        ("only when they reach offer", {"to_stage": "Offer"}),
        (
            "only for engineering roles",
            {
                "to_stage": "Interview",
                "job": ["Backend Engineer", "Data Engineer", "Engineering Manager"],
            },
        ),
    ],
)
def test_an_events_stages_and_jobs_change(said: str, expected: dict[str, Any]) -> None:
    changes = changes_in_words(prep(), said, NOW, specs=SPECS, job_titles=TITLES)
    assert changes == {"event_filter": expected}


def test_a_stage_taken_away_and_all_roles_again() -> None:
    auto = prep()
    auto.event_filter = {"to_stage": ["Interview", "Offer"], "job": "Designer"}
    changes = changes_in_words(auto, "not for offer anymore", NOW, specs=SPECS, job_titles=TITLES)
    assert changes == {"event_filter": {"to_stage": "Interview", "job": "Designer"}}
    changes = changes_in_words(auto, "for all roles", NOW, specs=SPECS, job_titles=TITLES)
    assert changes == {"event_filter": {"to_stage": ["Interview", "Offer"]}}
    with pytest.raises(InvalidInput, match="only stage it runs for"):
        changes_in_words(prep(), "not for interview anymore", NOW, specs=SPECS)


def test_another_stage_on_another_event_says_a_second_automation_does_it() -> None:
    auto = automation(
        "offer-accepted-alert",
        trigger_type="event",
        cron_expression=None,
        event_type="offer.accepted",
        params={},
    )
    with pytest.raises(InvalidInput, match=r"one event\. For Offer, make a second one"):
        changes_in_words(auto, "also when they reach offer", NOW, specs=SPECS)
