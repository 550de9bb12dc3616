"""A workflow's actions typed as JSON that does not parse: the refusal says where it breaks, as
the reader can find it: a column of a one-line value (a form's key=value line), a line and
column of a value written over several lines."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import InvalidInput
from skills.actions import parse_action_specs

ACTIONS = [
    {"type": "create_task", "title": "Call {{ candidate.name }}", "due_in_days": 2},
    {"type": "send_email", "to": "owner", "subject": "Hi", "body": "{{ candidate.name }}"},
]


def _broken(text: str, cut: int) -> str:
    """The text with one of its colons dropped: never JSON any more."""
    colons = [i for i, ch in enumerate(text) if ch == ":"]
    at = colons[cut % len(colons)]
    return text[:at] + text[at + 1 :]


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=50), indent=st.sampled_from([None, 2]))
def test_the_refusal_says_where_the_json_breaks(cut: int, indent: int | None) -> None:
    value = _broken(json.dumps(ACTIONS, indent=indent), cut)
    with pytest.raises(json.JSONDecodeError) as decoding:
        json.loads(value)
    truth = decoding.value
    with pytest.raises(InvalidInput) as refused:
        parse_action_specs("workflow", "actions", value)
    said = str(refused.value)
    assert "is not valid JSON" in said
    if indent is None:  # one line: a column, and no "line 1" that says nothing
        assert f"{truth.msg} at column {truth.colno} of its value" in said
        assert "line" not in said
    else:
        assert f"{truth.msg} at line {truth.lineno}, column {truth.colno} of its value" in said
