"""Webhook delivery: a signed JSON POST that a local receiver verifies; the destination guard
refusing private, loopback, link-local and metadata addresses (also behind a host name) unless
allowlisted; answers mapped to retryable or permanent failures; a slow receiver cut off at the
timeout; creation-time URL checks."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from bench.kit.peers.local_http import Reply, serve
from models.errors import DeliveryError, InvalidInput
from models.settings import load_settings
from models.settings_integrations import WebhookSettings
from models.tables.deliveries import Delivery
from skills.base import ReportDocument
from worker.delivery.base import Message, Recipient
from worker.delivery.deliver import deliver
from worker.delivery.guard import check_destination
from worker.delivery.webhook import WebhookChannel, org_signing_secret, verify

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
SECRET = "whsec-test"
MESSAGE = Message(subject="3 new applicants", text="Backend Engineer: 3", html="<p>3</p>")


class Receiver:
    """A webhook receiver of organisation `org_id` that checks the signature like a real one
    would, with its organisation's secret."""

    def __init__(
        self, status: int = 200, headers: dict[str, str] | None = None, *, org_id: int = 7
    ) -> None:
        self.secret = org_signing_secret(SECRET, org_id)
        self.status = status
        self.headers = headers or {}
        self.requests: list[tuple[str, dict[str, str], bytes, bool]] = []

    def __call__(self, verb: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        valid = verify(
            self.secret,
            headers.get("x-skilltick-timestamp", ""),
            body,
            headers.get("x-skilltick-signature", ""),
        )
        self.requests.append((path, headers, body, valid))
        if not valid:
            return 401, {}, b"bad signature"
        return self.status, self.headers, b"thanks"


def channel(allowlist: list[str] | None = None, **kwargs: Any) -> WebhookChannel:
    config = WebhookSettings(
        signing_secret=SECRET,
        allowlist=allowlist if allowlist is not None else ["127.0.0.1"],
        timeout_seconds=5,
    )
    return WebhookChannel(config, clock=lambda: NOW.timestamp(), **kwargs)


def test_an_allowlisted_local_receiver_gets_a_signed_json_post_it_can_verify() -> None:
    receiver = Receiver()
    with serve(receiver) as url:
        channel().send(
            MESSAGE,
            Recipient(url + "/hooks/recruiting?team=1"),
            message_id="<abc@skilltick.local>",
            org_id=7,
        )
    [(path, headers, body, valid)] = receiver.requests
    assert valid and path == "/hooks/recruiting?team=1"
    assert headers["x-skilltick-timestamp"] == str(int(NOW.timestamp()))
    assert headers["x-skilltick-signature"].startswith("v1=")
    assert headers["x-skilltick-message-id"] == "<abc@skilltick.local>"
    assert headers["host"] == url.removeprefix("http://")
    payload = json.loads(body)
    assert payload["subject"] == "3 new applicants" and payload["org_id"] == 7
    assert payload["text"] == "Backend Engineer: 3" and payload["id"] == "<abc@skilltick.local>"


class Titled:
    """A chat app's layout: the report document's title as one section."""

    def blocks(self, message: Message) -> list[dict[str, Any]]:
        title = message.document.context["title"] if message.document else message.subject
        return [{"type": "section", "text": {"type": "mrkdwn", "text": title}}]


def test_a_report_carries_the_chat_apps_blocks_and_other_messages_none() -> None:
    report = Message("S", "t", document=ReportDocument("pipeline", {"title": "Pipeline"}))
    receiver = Receiver()
    with serve(receiver) as url:
        for sent, message_id in ((report, "<r@x>"), (MESSAGE, "<m@x>")):
            channel(layout=Titled()).send(sent, Recipient(url), message_id=message_id, org_id=7)
        channel().send(report, Recipient(url), message_id="<plain@x>", org_id=7)
    payloads = [json.loads(body) for _, _, body, _ in receiver.requests]
    assert [p["blocks"] for p in payloads] == [
        [{"type": "section", "text": {"type": "mrkdwn", "text": "Pipeline"}}],
        None,  # not a report: its text says it all
        None,  # no chat app to lay the report out
    ]


def test_a_tampered_body_does_not_verify() -> None:
    from worker.delivery.webhook import sign

    signature = sign(SECRET, 1700000000, b'{"a":1}')
    assert verify(SECRET, "1700000000", b'{"a":1}', signature)
    assert not verify(SECRET, "1700000000", b'{"a":2}', signature)
    assert not verify(SECRET, "1700000001", b'{"a":1}', signature)
    assert not verify("other", "1700000000", b'{"a":1}', signature)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/hook",
        "http://localhost/hook",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[2002:7f00:1::1]/hook",  # 6to4 for 127.0.0.1
        "http://[2002:a9fe:a9fe::]/",  # 6to4 for 169.254.169.254
        "http://0x7f.1/",
        "http://2130706433/",
        "http://0.0.0.0/",
        "http://192.168.1.10/",
        "http://224.0.0.1/",
    ],
)
def test_the_guard_refuses_private_loopback_link_local_and_metadata_destinations(
    url: str,
) -> None:
    with pytest.raises(DeliveryError) as caught:
        check_destination(url)
    assert "refused" in caught.value.message and not caught.value.retryable


def test_a_public_looking_name_that_resolves_to_a_private_address_is_refused() -> None:
    def rebinding(host: str, port: int, **_: Any) -> list[Any]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    with pytest.raises(DeliveryError) as caught:
        check_destination("https://hooks.example.com/x", resolver=rebinding)
    assert "10.0.0.1" in caught.value.message and "private" in caught.value.message


def test_a_public_address_passes_and_is_the_one_connected_to() -> None:
    def public(host: str, port: int, **_: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    destination = check_destination("https://hooks.example.com/in?x=1", resolver=public)
    assert (destination.ip, destination.port, destination.path) == ("93.184.215.14", 443, "/in?x=1")
    assert destination.host_header == "hooks.example.com"


def test_the_allowlist_admits_a_named_host_or_an_address_range() -> None:
    assert check_destination("http://localhost:9/x", ["localhost"]).ip in ("127.0.0.1", "::1")
    assert check_destination("http://10.1.2.3/x", ["10.1.0.0/16"]).ip == "10.1.2.3"
    with pytest.raises(DeliveryError):
        check_destination("http://10.2.0.1/x", ["10.1.0.0/16"])


def test_a_host_that_does_not_resolve_is_a_retryable_failure() -> None:
    with pytest.raises(DeliveryError) as caught:
        check_destination("https://no-such-host.invalid/hook")
    assert caught.value.retryable


@pytest.mark.parametrize(
    ("status", "retryable"),
    [
        (500, True),
        (503, True),
        (408, True),
        (429, True),
        (302, True),
        (404, False),
        (400, False),
        (410, False),
    ],
)
def test_a_non_2xx_answer_fails_and_only_4xx_other_than_408_and_429_is_permanent(
    status: int,
    retryable: bool,
) -> None:
    receiver = Receiver(status, {"Location": "http://10.0.0.1/elsewhere"}, org_id=1)
    with serve(receiver) as url:
        with pytest.raises(DeliveryError) as caught:
            channel().send(MESSAGE, Recipient(url + "/hook"), message_id="<m@x>", org_id=1)
    assert caught.value.retryable is retryable
    assert str(status) in caught.value.message
    assert len(receiver.requests) == 1  # a redirect is not followed


def test_without_a_signing_secret_the_webhook_channel_says_it_is_not_set_up() -> None:
    with pytest.raises(DeliveryError) as caught:
        WebhookChannel(WebhookSettings(signing_secret=None))
    assert "SKILLTICK_WEBHOOK_SIGNING_SECRET" in caught.value.message


def test_a_retried_occurrence_posts_the_webhook_once(engine: Engine) -> None:
    org = make_org(engine, NOW)
    receiver = Receiver(org_id=org.org_id)
    with serve(receiver) as url:
        for _ in range(2):
            [outcome] = deliver(
                engine,
                channel(),
                MESSAGE,
                [Recipient(url + "/hook")],
                org_id=org.org_id,
                run_id=None,
                occurrence_key="a1:t",
                now=NOW,
            )
    assert len(receiver.requests) == 1 and outcome.skipped_reason == "already_delivered"
    with Session(engine) as session:
        [row] = session.scalars(select(Delivery).where(col(Delivery.channel) == "webhook")).all()
    assert row.status == "sent"


def test_creating_a_webhook_automation_checks_its_urls(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    settings = load_settings(webhooks={"signing_secret": "whsec-service"})
    tools = Toolset(sqlite_engine, settings, clock=lambda: NOW)
    actor = Actor(org.org_id, org.member_id, "member", org.member_email)

    def create(to: list[str]) -> None:
        tools.create_automation(
            actor,
            AutomationSpec(
                name="hook", skill="noop", cron="0 9 * * *", output_channel="webhook", to=to
            ),
        )

    for to, words in (
        (["me"], "give the URL"),
        (["ftp://x.example/h"], "not a webhook URL"),
        (["http://169.254.169.254/x"], "cloud metadata"),
        (["https://user:pw@hooks.example.com/x"], "user name or password"),
        (["http://localhost:8080/x"], "loopback"),
        (["http://2130706433/x"], r"2130706433 \(127.0.0.1\): it is a loopback"),
        (["http://0x7f.0.0.1:8080/x"], r"\(127.0.0.1\): it is a loopback"),
        (["http://127.1/x"], r"\(127.0.0.1\): it is a loopback"),
        (["http://0251.0376.0251.0376/x"], "cloud metadata"),
        (["http://10.1/x"], r"\(10.0.0.1\): it is a private"),
    ):
        with pytest.raises(InvalidInput, match=words):
            create(to)
    assert tools.list_automations(actor) == []
    create(["https://hooks.example.com/recruiting"])
    assert len(tools.list_automations(actor)) == 1


def test_https_goes_to_the_checked_address_with_the_hosts_name_for_tls(tmp_path: Path) -> None:
    """The pinned connection still verifies the certificate against the URL's host name."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=str(cert))
    receiver = Receiver(org_id=1)
    with serve(receiver, tls=server_tls) as url:
        port = url.rsplit(":", 1)[1]
        channel(["localhost"], tls=client_tls).send(
            MESSAGE, Recipient(f"https://localhost:{port}/secure"), message_id="<m@x>", org_id=1
        )
        with pytest.raises(DeliveryError, match="TLS failed"):  # the name must match
            channel(["127.0.0.1"], tls=client_tls).send(
                MESSAGE, Recipient(f"https://127.0.0.1:{port}/secure"), message_id="<m@x>", org_id=1
            )
    [(path, headers, _, valid)] = receiver.requests
    assert valid and path == "/secure" and headers["host"] == f"localhost:{port}"


def test_an_unreachable_first_address_falls_through_to_the_next_checked_one() -> None:
    def both(host: str, port: int, **_: Any) -> list[Any]:
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    receiver = Receiver(org_id=1)
    with serve(receiver) as url:  # listens on 127.0.0.1 only
        port = url.rsplit(":", 1)[1]
        channel(["hooks.test"], resolver=both).send(
            MESSAGE, Recipient(f"http://hooks.test:{port}/in"), message_id="<m@x>", org_id=1
        )
    [(_, headers, _, valid)] = receiver.requests
    assert valid and headers["host"] == f"hooks.test:{port}"


def test_a_receiver_that_answers_a_byte_at_a_time_is_cut_off_at_the_timeout() -> None:
    """The timeout bounds the whole exchange: each byte arriving within it does not reset it,
    and a status line read before the cut is not taken as an answer."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
                if stop.wait(0.1):
                    return
                with contextlib.suppress(OSError):
                    conn.send(bytes([byte]))

    dripping = threading.Thread(target=drip, daemon=True)
    dripping.start()
    config = WebhookSettings(signing_secret=SECRET, allowlist=["127.0.0.1"], timeout_seconds=1)
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryError, match="did not answer within 1 s") as refused:
            WebhookChannel(config).send(
                MESSAGE, Recipient(f"http://127.0.0.1:{port}/"), message_id="<d@x>", org_id=7
            )
        assert refused.value.retryable
        assert time.monotonic() - started < 5  # 20 s of drip at 0.1 s a byte
    finally:
        stop.set()
        dripping.join(5)
        listener.close()
