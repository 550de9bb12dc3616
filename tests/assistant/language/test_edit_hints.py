"""Every hint offered after an unclear change, said back, changes the automation, for each kind
of trigger (a schedule, a one-off, a poll, an event, a time before each interview); and the
changes only some kinds take: how long before each interview, a poll's interval."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from assistant.language.edits import changes_in_words
from models.errors import InvalidInput
from models.tables.automations import Automation
from tests.assistant.language.param_edit_support import (
    NOW,
    SPECS,
    automation,
    briefing,
)


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


def test_a_poll_takes_a_new_interval_and_refuses_a_time_of_day_saying_so() -> None:
    poll = automation(
        "new-candidate-alert", trigger_type="poll", cron_expression=None, poll_interval_minutes=30
    )
    for said, minutes in (("check every 15 minutes", 15), ("every 2 hours", 120)):
        assert changes_in_words(poll, said, NOW, specs=SPECS) == {"poll_interval_minutes": minutes}
    for said in ("move it to 8am", "make it weekdays only"):
        with pytest.raises(InvalidInput, match=r"^It checks every 30 minutes, not at set times"):
            changes_in_words(poll, said, NOW, specs=SPECS)
