"""One placeholder-secret rule for every secret the service checks: the cron endpoint's bearer
secret and the Slack signing secret refuse the same example values."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from models.errors import InvalidInput
from models.settings import ServiceSettings
from models.settings_integrations import PLACEHOLDER_SECRETS, SlackSettings


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDER_SECRETS))
def test_the_cron_secret_refuses_every_placeholder(placeholder: str) -> None:
    padded = placeholder.upper()  # case does not make a placeholder a secret
    with pytest.raises(InvalidInput, match="placeholder"):
        ServiceSettings(cron_secret=SecretStr(padded)).check()


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDER_SECRETS))
def test_the_slack_signing_secret_refuses_every_placeholder(placeholder: str) -> None:
    settings = SlackSettings(signing_secret=f" {placeholder} ", bot_token="xoxb-1")
    with pytest.raises(InvalidInput, match="placeholder"):
        settings.check()


def test_a_short_cron_secret_is_refused_and_an_unset_one_closes_the_endpoint() -> None:
    with pytest.raises(InvalidInput, match="at least 16 characters"):
        ServiceSettings(cron_secret=SecretStr("a1b2c3")).check()
    unset = ServiceSettings(cron_secret=SecretStr(""))
    unset.check()
    assert unset.bearer_secret() is None


def test_real_secrets_pass_both_checks() -> None:
    secret = "9f2c41d07be35a86c1e0d4f7"
    ServiceSettings(cron_secret=SecretStr(secret)).check()
    assert ServiceSettings(cron_secret=SecretStr(secret)).bearer_secret() == secret
    SlackSettings(signing_secret=secret, bot_token="xoxb-1").check()
