"""Changing what an automation does by words, read in process against every built-in skill:
an amount said in any unit of time sets the param that counts in it (the expected value worked
out here from the amount, not by the reader), a stage or a scope as a new request says it, an
event's stages and jobs; every hint offered after an unclear change, said back, changes the
automation, for each kind of trigger; and a new request that sets a param reads it back."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from assistant.conversation.intents import classify
from assistant.language import understand
from assistant.language.action_words import action_words
from assistant.language.edits import changes_in_words
from assistant.language.param_edits import unit_of
from models.errors import InvalidInput
from models.tables.automations import Automation
from skills.base import validate_params
from skills.builtin import default_registry

NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
SPECS = default_registry().specs()
TITLES = ["Backend Engineer", "Data Engineer", "Designer", "Engineering Manager"]
# minutes in a unit of time; a week of business days is 5 of them
MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}


def automation(skill: str, **fields: Any) -> Automation:
    spec = SPECS[skill]
    base: dict[str, Any] = {
        "id": 1,
        "org_id": 1,
        "owner_id": 1,
        "name": "Morning check",
        "skill": skill,
        "trigger_type": "cron",
        "cron_expression": "0 9 * * 1-5",
        "timezone": "Europe/London",
        "params": {n: p.default for n, p in spec.params.items() if p.default is not None},
        "output_channel": "email",
        "output_config": {"to": ["me"]},
    }
    return Automation(**{**base, **fields})


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


def kinds() -> list[tuple[str, Automation]]:
    """An automation of each kind of trigger, for each skill that takes it."""
    made = []
    for skill, spec in sorted(SPECS.items()):
        if spec.triggers and "cron" in spec.triggers:
            made.append(("schedule", automation(skill)))
            made.append(
                (
                    "one-off",
                    automation(
                        skill,
                        cron_expression=None,
                        run_once_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
                    ),
                )
            )
        if spec.triggers and "poll" in spec.triggers:
            made.append(
                (
                    "poll",
                    automation(
                        skill, trigger_type="poll", cron_expression=None, poll_interval_minutes=30
                    ),
                )
            )
        if spec.triggers and "event" in spec.triggers:
            made.append(
                (
                    "event",
                    automation(
                        skill,
                        trigger_type="event",
                        cron_expression=None,
                        event_type="candidate.stage_changed",
                        event_filter={"to_stage": "Interview"},
                    ),
                )
            )
            made.append(("before an interview", briefing(skill)))
    return made


def briefing(skill: str = "interview-briefing") -> Automation:
    return automation(
        skill,
        trigger_type="event",
        cron_expression=None,
        event_type="interview.scheduled",
        event_filter={"relative_to": "interview.starts_at", "offset_minutes": -30},
    )


@pytest.mark.parametrize(
    ("said", "offset"),
    [
        ("make it 45 minutes", -45),
        ("make it an hour before", -60),
        ("2 hours before each interview", -120),
        ("make it 10 minutes after", 10),
    ],
)
def test_how_long_before_each_interview_changes_and_no_schedule_only_param(
    said: str, offset: int
) -> None:
    changes = changes_in_words(briefing(), said, NOW, specs=SPECS)
    assert changes == {
        "event_filter": {"relative_to": "interview.starts_at", "offset_minutes": offset}
    }


@pytest.mark.parametrize(
    ("kind", "auto"), kinds(), ids=lambda v: v if isinstance(v, str) else v.skill
)
def test_every_hint_offered_is_an_edit_that_changes_it(kind: str, auto: Automation) -> None:
    with pytest.raises(InvalidInput) as unclear:
        changes_in_words(auto, "make it nicer", NOW, specs=SPECS)
    message = unclear.value.message
    assert message.startswith("I couldn't tell what to change. Try "), message
    hints = re.findall(r"“([^”]+)”", message)
    assert 1 <= len(hints) <= 3, message
    for hint in hints:
        changes = changes_in_words(auto, hint, NOW, specs=SPECS)
        changed = {k for k, v in changes.items() if _stored(auto, k) != v}
        assert changed, (kind, hint, changes)
    if kind == "event":
        assert not any("am”" in h or "weekdays" in h for h in hints), message


def _stored(auto: Automation, key: str) -> Any:
    column = {"cron": "cron_expression", "once": "run_once_at"}.get(key, key)
    return getattr(auto, column, None)


#: new requests that set a param, the param and the value they set, and the words said back
READ_BACK = [
    (
        "every weekday at 8 list candidates stuck in {stage} for more than {n} business days",
        "stale-candidate-sla",
        "business_days",
        "{n} business day",
    ),
    (
        "every day send me candidates not contacted in {n} business days",
        "stale-candidate-sla",
        "business_days",
        "{n} business day",
    ),
    (
        "every Monday at 9am send me a summary of my pipeline with anyone not contacted in {n} days",
        "pipeline-report",
        "stale_days",
        "not contacted for {n} day",
    ),
    (
        "{n} minutes before each interview, slack the interviewer a briefing",
        "interview-briefing",
        "lead_minutes",
        "within {n} minutes",
    ),
]


@pytest.mark.parametrize(("request_words", "skill", "name", "words"), READ_BACK)
def test_a_param_a_new_request_sets_is_read_back_even_at_its_default(
    request_words: str, skill: str, name: str, words: str
) -> None:
    param = SPECS[skill].params[name]
    values = {param.default or 5, 2, 9, 45 if (param.maximum or 0) >= 45 else 3}
    for n in values:
        if skill == "interview-briefing" and n >= 60:
            continue
        draft = understand(
            request_words.format(n=n, stage="screening"),
            tz="Europe/London",
            now=NOW,
            specs=SPECS,
        )
        assert draft.ok, draft.summary
        assert (draft.skill, draft.params[name]) == (skill, n), draft.params
        action = next(line for line in draft.summary.splitlines() if line.startswith("- Action"))
        assert words.format(n=n) in action, action
        if "{stage}" in request_words:
            assert "only those in Screen" in action, action
        # stored (the skill's defaults filled in), "show" says it the same way
        stored = validate_params(SPECS[skill], draft.params)
        shown = action_words(skill, stored, specs=SPECS)
        assert words.format(n=n) in shown, shown


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("make it 3 days", "edit"),
        ("3 days instead", "edit"),
        ("for the whole team", "edit"),
        ("in every stage", "edit"),
        ("for all roles", "edit"),
        ("not for offer anymore", "edit"),
        ("include offer too", "edit"),
        ("since their last contact", "edit"),
        ("also when they reach offer", "edit"),
        ("only for engineering roles", "edit"),
        ("what does it check?", "show"),
        ("what does it do?", "show"),
        ("when does it come back?", "next"),
        ("when will it resume?", "next"),
        ("add sam too", "recipients"),
        ("every day at 9 send me candidates not contacted in 3 days", "create"),
        ("remind me in 3 days", "create"),
        ("list candidates older than 5 days", "create"),
    ],
)
def test_a_change_to_what_it_does_is_read_as_one(message: str, kind: str) -> None:
    assert classify(message).kind == kind


@pytest.mark.parametrize(
    ("request_words", "set_", "words"),
    [
        (
            "every hour check for new applicants for the Designer role and slack me",
            {"jobs": ["Designer"]},
            "for Designer",
        ),
        ("when a candidate is rejected, send them a kind note", {"kind": "rejection"}, "rejection"),
        (
            "every day at 8 send me a summary of my pipeline",
            {"period": "daily"},
            "as a daily report",
        ),
        (
            "every Monday at 9 send me the whole team's follow-ups",
            {"scope": "organization"},
            "everyone's tasks",
        ),
        (
            "every friday at 4pm send me the sourcing recap for the whole team",
            {"scope": "organization", "days": 7},
            "whole organisation's candidates, looking back 7 days",
        ),
    ],
)
def test_each_kind_of_param_a_request_sets_is_read_back_and_shown(
    request_words: str, set_: dict[str, Any], words: str
) -> None:
    draft = understand(request_words, tz="UTC", now=NOW, specs=SPECS)
    assert draft.ok, draft.summary
    assert draft.params.items() >= set_.items(), draft.params
    assert words in draft.summary, draft.summary
    stored = validate_params(SPECS[draft.skill], draft.params)
    assert words in action_words(draft.skill, stored, specs=SPECS)


def test_a_poll_takes_a_new_interval_and_refuses_a_time_of_day_saying_so() -> None:
    poll = automation(
        "new-candidate-alert", trigger_type="poll", cron_expression=None, poll_interval_minutes=30
    )
    for said, minutes in (("check every 15 minutes", 15), ("every 2 hours", 120)):
        assert changes_in_words(poll, said, NOW, specs=SPECS) == {"poll_interval_minutes": minutes}
    for said in ("move it to 8am", "make it weekdays only"):
        with pytest.raises(InvalidInput, match=r"^It checks every 30 minutes, not at set times"):
            changes_in_words(poll, said, NOW, specs=SPECS)
