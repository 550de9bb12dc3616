"""One settings object: every field by its flat variable (the names deployments already use)
and by its nested name, the nested one winning; overrides by flat name or by section; one
public URL default on the port `skilltick serve` listens on."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from assistant.cli.ops import serve
from models.settings import DEFAULT_PORT, Settings, load_settings
from models.settings_env import flat_variables, sections
from models.settings_integrations import SmtpSettings


def test_the_flat_variables_deployments_use_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "SKILLTICK_DATABASE_URL": "sqlite:////tmp/x.db",
        "SKILLTICK_SMTP_HOST": "mail.example.test",
        "SKILLTICK_MAIL_FROM": "hr@example.test",
        "SKILLTICK_SLACK_BOT_TOKEN": "xoxb-1",
        "SKILLTICK_WEBHOOK_ALLOWLIST": "hooks.internal, 10.1.0.0/16",
        "ANTHROPIC_API_KEY": "sk-ant-1",
        "SKILLTICK_CLAUDE_BUDGET_SECONDS": "3",
        "SKILLTICK_PUBLIC_URL": "https://hooks.example.test",
        "SKILLTICK_CRON_SECRET": "9f2c41d07be35a86c1e0d4f7",
    }.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.core.resolved_database_url() == "sqlite:////tmp/x.db"
    assert settings.smtp.host == "mail.example.test"
    assert settings.smtp.mail_from == "hr@example.test"
    assert settings.slack.bot_token == "xoxb-1"
    assert settings.webhooks.allowlist == ["hooks.internal", "10.1.0.0/16"]
    assert settings.anthropic.api_key == "sk-ant-1"
    assert settings.anthropic.planner_budget_seconds == 3.0
    assert settings.triggers.public_url == "https://hooks.example.test"
    assert settings.service.bearer_secret() == "9f2c41d07be35a86c1e0d4f7"


def test_a_nested_name_sets_a_field_and_wins_over_the_flat_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SKILLTICK_LEASE_SECONDS", "30")
    monkeypatch.setenv("SKILLTICK_CORE__LEASE_SECONDS", "45")
    monkeypatch.setenv("SKILLTICK_SMTP__PORT", "2525")
    monkeypatch.setenv("SKILLTICK_WEBHOOKS__ALLOWLIST", "a.internal,b.internal")
    settings = load_settings()
    assert settings.core.lease_seconds == 45
    assert settings.smtp.port == 2525
    assert settings.webhooks.allowlist == ["a.internal", "b.internal"]


def test_overrides_go_on_top_of_the_environment_by_flat_name_or_by_section(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SKILLTICK_SMTP_HOST", "from-env.test")
    monkeypatch.setenv("SKILLTICK_SMTP_PORT", "587")
    by_name = load_settings(smtp_host="given.test", lease_seconds=5)
    assert (by_name.smtp.host, by_name.smtp.port) == ("given.test", 587)
    assert by_name.core.lease_seconds == 5
    by_section = load_settings(smtp=SmtpSettings(host="whole.test"))
    assert (by_section.smtp.host, by_section.smtp.port) == ("whole.test", 25)
    with pytest.raises(ValueError, match="smtp_hots"):
        load_settings(smtp_hots="typo.test")
    flat: dict[str, Any] = {"home": "/srv/skilltick", "database_url": "sqlite://"}
    direct = Settings(**flat)  # built directly, as tests and embedders do
    assert (str(direct.core.home), direct.core.database_url) == ("/srv/skilltick", "sqlite://")


def test_every_field_has_one_flat_variable_and_a_description() -> None:
    fields = [
        (section, name, info)
        for section, kind in sections(Settings).items()
        for name, info in kind.model_fields.items()
    ]
    assert len(flat_variables(Settings)) == len(fields), "two fields share a flat variable"
    assert [f"{s}.{n}" for s, n, info in fields if not info.description] == []


def test_the_default_public_url_points_at_the_port_serve_listens_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SKILLTICK_PUBLIC_URL", raising=False)
    serve_port = inspect.signature(serve).parameters["port"].default
    assert serve_port == DEFAULT_PORT
    assert load_settings().triggers.public_url.endswith(f":{serve_port}")
