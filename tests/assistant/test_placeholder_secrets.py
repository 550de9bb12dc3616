"""One placeholder-secret rule for every secret the service checks: the cron endpoint's bearer
secret and the Slack signing secret refuse the same example values."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from assistant.http.ops import ServiceSettings
from assistant.slack.bot import SlackSettings
from models.errors import InvalidInput
from models.settings import PLACEHOLDER_SECRETS


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDER_SECRETS))
def test_the_cron_secret_refuses_every_placeholder(placeholder: str) -> None:
    padded = placeholder.upper()  # case does not make a placeholder a secret
    with pytest.raises(ValidationError, match="placeholder"):
        ServiceSettings(cron_secret=SecretStr(padded))


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDER_SECRETS))
def test_the_slack_signing_secret_refuses_every_placeholder(placeholder: str) -> None:
    settings = SlackSettings(signing_secret=f" {placeholder} ", bot_token="xoxb-1")
    with pytest.raises(InvalidInput, match="placeholder"):
        settings.check()


def test_real_secrets_pass_both_checks() -> None:
    secret = "9f2c41d07be35a86c1e0d4f7"
    assert ServiceSettings(cron_secret=SecretStr(secret)).cron_secret is not None
    SlackSettings(signing_secret=secret, bot_token="xoxb-1").check()
