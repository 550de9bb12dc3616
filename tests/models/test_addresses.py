"""E-mail addresses and Slack targets are checked whole where they are given: a value with a
line break, a second address or a display name is refused in one line and nothing is saved."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.validation import checked_email
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.addresses import is_email_address, shown
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user
from skills.actions import parse_action_specs
from tests.examples import examples
from worker.delivery.slack import is_slack_address

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

_ATOM = string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~."
_LABEL = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)
local_parts = st.text(_ATOM, min_size=1, max_size=30)
domains = st.lists(_LABEL, min_size=2, max_size=4).map(".".join)
addresses = st.builds(lambda local, domain: f"{local}@{domain}", local_parts, domains)
#: what turns one address into something else: a header break, a list, a display name
breakers = st.sampled_from(
    ["\r\n", "\n", "\r", "\x00", "\t", " ", ",", ";", "<", ">", '"', "\u2028", "\u202e"]
)


@settings(max_examples=examples(200), deadline=None, database=None)
@given(addresses)
def test_a_bare_address_is_accepted(address: str) -> None:
    assert is_email_address(address)
    assert checked_email(address) == address


@settings(max_examples=examples(200), deadline=None, database=None)
@given(addresses, breakers, addresses, st.booleans())
def test_an_address_with_a_break_or_a_second_address_is_refused_on_one_line(
    first: str, breaker: str, second: str, at_end: bool
) -> None:
    value = first + breaker + ("" if at_end else second)
    assert not is_email_address(value)
    assert not is_slack_address(value)
    if at_end and breaker.isspace():
        return  # surrounding whitespace is trimmed where an address is given
    with pytest.raises(InvalidInput) as refused:
        checked_email(value)
    message = str(refused.value)
    assert "\n" not in message and "\r" not in message


@pytest.mark.parametrize("value", ["#hiring\n", "C0123ABCD\n", "U0123ABCD\r\n", "#hiring\nx"])
def test_a_slack_target_with_a_trailing_line_break_is_not_a_target(value: str) -> None:
    assert not is_slack_address(value)
    assert is_slack_address(value.split("\n")[0].strip())


def test_a_workflow_email_goes_only_to_a_role_or_one_address() -> None:
    def action(to: str) -> list[dict[str, str]]:
        return [{"type": "send_email", "to": to, "subject": "Hi", "body": "Thanks"}]

    def parsed(to: str) -> list[dict[str, str]]:
        return parse_action_specs("workflow", "actions", action(to))

    assert parsed("priya@example.com")[0]["to"] == "priya@example.com"
    for bad in ("priya@example.com\r\nBcc: all@example.com", "a@b.com, c@d.com", "@", "x@y"):
        with pytest.raises(InvalidInput):
            parsed(bad)


@pytest.mark.parametrize(
    ("channel", "to"),
    [
        ("email", "dana@example.com\r\nmallory@example.com"),
        ("email", "Dana <dana@example.com>"),
        ("email", "dana@example.com,mallory@example.com"),
        ("slack", "#hiring\n#general"),
        ("in_app", "dana@example.com\nx@y.com"),
    ],
)
def test_an_automation_with_such_a_recipient_is_refused_and_nothing_is_saved(
    engine: Engine, channel: str, to: str
) -> None:
    tools = Toolset(engine, load_settings(slack_bot_token="xoxb-test"), clock=lambda: NOW)
    org = make_org(engine, NOW)
    actor = Actor.of(get_user(engine, org.member_id))
    spec = AutomationSpec(
        name="Report", skill="pipeline-report", cron="0 9 * * 1", output_channel=channel, to=[to]
    )
    with pytest.raises(InvalidInput) as refused:
        tools.create_automation(actor, spec)
    message = str(refused.value)
    assert "\n" not in message and "\r" not in message
    assert list_automations(engine, org.org_id) == []


def test_a_refusal_quotes_a_value_on_one_line() -> None:
    assert shown("a@b.com\r\nBcc: x@y.com") == "a@b.com\\u000d\\u000aBcc: x@y.com"
    assert shown("x" * 100, limit=10) == "x" * 10 + "…"
