"""The request table (requests.yaml): each request, as recruiters phrase it, must become the
right trigger, skill, params and output, and fire at the instants an independent brute-force
expectation gives (next 5, across time zones and around daylight-saving changes); ambiguous,
contradictory and nonsense requests must yield one question."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.language import understand
from bench.kit.language.expect import expected_fires
from bench.kit.language.requests import request_table
from models.clock import parse_instant

TABLE = request_table()
CASES = [
    pytest.param({**case, "tz": group["tz"], "now": group["now"]}, id=case["say"][:60])
    for group in TABLE["groups"]
    for case in group["cases"]
]
QUESTIONS = [pytest.param(case, id=case["say"][:60] or "empty") for case in TABLE["questions"]]


def _instant(value: Any) -> Any:
    return parse_instant(value if isinstance(value, str) else value.isoformat())


def test_the_table_holds_at_least_150_requests() -> None:
    assert len(CASES) + len(QUESTIONS) >= 150
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES)
def test_request_is_understood_as_the_table_says(case: dict[str, Any]) -> None:
    if case.get("question"):
        draft = understand(case["say"], tz=case["tz"], now=_instant(case["now"]))
        assert draft.status == "question" and draft.question
        return
    now = _instant(case["now"])
    draft = understand(case["say"], tz=case["tz"], now=now)
    assert draft.status == "ok", draft.question
    assert draft.skill == case["skill"]
    for key, value in (case.get("params") or {}).items():
        assert draft.params.get(key) == value, (key, draft.params)
    if "out" in case:
        channel, to = case["out"].split(" ", 1)
        channel = {"email": "email", "slack": "slack", "webhook": "webhook"}.get(channel, channel)
        assert (draft.channel, draft.to) == (channel, [to if to != "candidate" else "candidate"])
    if "event" in case:
        assert draft.trigger_type == "event"
        assert draft.event_type == case["event"]["type"]
        assert draft.event_filter == case["event"]["filter"]
        assert draft.as_json()["next_runs"] == []
        return
    zone = case.get("in", case["tz"])
    assert draft.tz == zone
    assert draft.trigger_type == case.get("trigger", "cron")
    expected = expected_fires(case["fires"], zone, now, 5)
    assert draft.fires(now, 5) == expected
    assert [_instant(t) for t in draft.as_json()["next_runs"]] == expected[:3]


@pytest.mark.parametrize("case", QUESTIONS)
def test_unclear_request_yields_one_question_and_no_draft(case: dict[str, Any]) -> None:
    now = _instant(case.get("now", "2026-01-15T12:00:00Z"))
    draft = understand(case["say"], tz=case["tz"], now=now)
    shown = draft.as_json()
    assert shown["status"] == "question"
    assert shown["question"] and "?" in shown["question"]
    assert shown["trigger"] == {"type": None} and shown["skill"] == ""
    assert shown["next_runs"] == [] and shown["output"] == {"channel": None, "to": []}
    if "mentions" in case:
        assert case["mentions"].lower() in shown["question"].lower()
