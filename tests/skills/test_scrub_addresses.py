"""Network addresses in run errors stay readable: the scrubber keeps IPv4 addresses (which have
enough digits to look like phone numbers) while still removing the phone numbers around them."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.settings_integrations import WebhookSettings
from models.store.run_history import list_runs
from skills.scrub import Scrubber
from worker.delivery.channels import ChannelRegistry
from worker.delivery.webhook import WebhookChannel
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def closed_loopback_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


def test_a_run_error_naming_an_unreachable_address_keeps_the_address(engine: Engine) -> None:
    host = "127.100.200.1"  # loopback, and ten digits: more than a phone number needs
    port = closed_loopback_port(host)
    org = make_org(engine, NOW)
    auto = make_automation(
        engine,
        org,
        datetime(2026, 11, 22, 14, 30, tzinfo=UTC),
        cron="0 14 * * *",
        channel="webhook",
        to=[f"http://{host}:{port}/hook"],
    )
    channels = ChannelRegistry(engine, load_settings())
    config = WebhookSettings(signing_secret="whsec-test", allowlist=[host])
    channels.register("webhook", WebhookChannel(config))
    Worker(engine, load_settings(), channels=channels).tick(NOW)
    runs = list_runs(engine, org.org_id, automation_id=auto.id)
    errors = [r.error_message for r in runs if r.error_message]
    assert errors and all(f"webhook {host} could not be reached" in e for e in errors)


def test_the_scrubber_keeps_ip_addresses_and_still_removes_phone_numbers_next_to_them() -> None:
    scrub = Scrubber()
    for kept in (
        "connect to 192.168.10.20 failed",
        "10.0.0.1:25 refused",
        "from 203.0.113.77 and 198.51.100.2",
        "::ffff:192.168.100.200 is mapped",
    ):
        assert scrub.text(kept) == kept
    assert scrub.text("call +1 212 555 0142 via 10.20.30.40") == "call [phone] via 10.20.30.40"
    assert scrub.text("call 415.555.0123") == "call [phone]"  # three groups: a phone number
    assert scrub.text("call 1.212.555.0142") == "call [phone]"  # 555 and 0142: not an address
