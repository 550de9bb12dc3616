"""A param a new request sets is read back in its summary, even at its default, and shown the
same way once stored; a change to what an automation does is read as one."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.conversation.intents import classify
from assistant.language import understand
from assistant.language.action_words import action_words
from skills.base import validate_params
from tests.assistant.language.param_edit_support import (
    NOW,
    SPECS,
)

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
