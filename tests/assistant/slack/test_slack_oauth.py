"""Installing the Slack app in a workspace through bolt's OAuth flow, against the local Slack
Web API peer: an organisation admin starts it from the dashboard, Slack's redirect brings a code
that bolt trades at oauth.v2.access, the bot token lands in the installation store on the
product's database, and the workspace belongs to that organisation. A member cannot start it, a
state is used once and cannot be pointed at another organisation, and a workspace belongs to
one organisation."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy.engine import Engine

from bench.kit.peers.slack_signed import signed
from bench.kit.peers.slack_web_api import FakeSlack, fake_slack
from models.errors import DeliveryError
from models.settings_integrations import SlackSettings
from models.store.conversations import find_installation
from tests.assistant.http.service_harness import Org, live_server, make_context
from tests.assistant.http.service_harness import make_org_with_tokens as make_org
from tests.login import sign_in
from worker.delivery.base import Message, Recipient
from worker.delivery.channels import ChannelRegistry

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    with fake_slack() as peer:
        monkeypatch.setenv("SKILLTICK_SLACK_SIGNING_SECRET", SIGNING_SECRET)
        monkeypatch.setenv("SKILLTICK_SLACK_CLIENT_ID", peer.client_id)
        monkeypatch.setenv("SKILLTICK_SLACK_CLIENT_SECRET", peer.client_secret)
        monkeypatch.setenv("SKILLTICK_SLACK_API_URL", peer.base_url)
        monkeypatch.delenv("SKILLTICK_SLACK_BOT_TOKEN", raising=False)
        monkeypatch.delenv("SKILLTICK_SLACK_ORG", raising=False)
        yield peer


def browser_of(url: str, org: Org, *, admin: bool = True) -> httpx.Client:
    browser = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    token = org.admin_token if admin else org.member_token
    assert sign_in(browser, token).status_code == 303
    return browser


class Install:
    """A started installation: its state, and the state cookie bolt gave the browser (it is
    marked Secure, which a browser keeps for http://127.0.0.1 too, httpx does not: it is sent
    by hand)."""

    def __init__(self, state: str, cookie: str) -> None:
        self.state = state
        self.cookie = cookie

    def back(self, url: str, code: str, *, state: str | None = None) -> httpx.Response:
        """Slack sending the same browser back with a code."""
        return httpx.get(
            f"{url}/slack/oauth_redirect",
            params={"code": code, "state": state or self.state},
            headers={"Cookie": self.cookie},
            follow_redirects=False,
            timeout=30,
        )


def start_install(browser: httpx.Client) -> Install:
    """A started installation, after checking where Slack is asked to return."""
    started = browser.get("/slack/install")
    assert started.status_code == 302, started.text
    cookie = started.headers["set-cookie"].split(";", 1)[0]
    assert cookie.startswith("slack-app-oauth-state=")
    authorize = urlsplit(started.headers["location"])
    assert authorize.netloc == "slack.com" and authorize.path == "/oauth/v2/authorize"
    query = parse_qs(authorize.query)
    assert query["client_id"] == ["1234.5678"]
    assert "chat:write" in query["scope"][0].split(",")
    assert query["redirect_uri"][0].endswith("/slack/oauth_redirect")
    # the same browser comes back: with its dashboard session too
    session = browser.cookies.get("skilltick_session")
    return Install(query["state"][0], f"{cookie}; skilltick_session={session}")


def test_an_admin_installs_the_app_in_a_workspace_for_their_organisation(
    engine: Engine, slack: FakeSlack
) -> None:
    acme = make_org(engine, NOW, slug="acme")
    ctx = make_context(engine, clock=lambda: NOW)
    with live_server(ctx) as url:
        browser = browser_of(url, acme)
        started = start_install(browser)
        slack.oauth_codes["code-1"] = {"id": "T0ACME", "name": "Acme"}
        back = started.back(url, "code-1")
        assert back.status_code == 303 and back.headers["location"] == "/admin?notice=slack"
        admin_page = browser.get("/admin?notice=slack").text
        assert "Slack workspace connected" in admin_page and 'href="/slack/install"' in admin_page
        exchanged = slack.calls_to("oauth.v2.access")
        assert len(exchanged) == 1 and exchanged[0].args["code"] == "code-1"
        mapped = find_installation(engine, "T0ACME")
        assert mapped is not None and mapped.org_id == acme.fixture.org_id
        store = SQLAlchemyInstallationStore(
            "1234.5678",
            engine,
            bots_table_name="slack_oauth_bots",
            installations_table_name="slack_oauth_installations",
        )
        bot = store.find_bot(enterprise_id=None, team_id="T0ACME")
        assert bot is not None and bot.bot_token == slack.token
        # the same state again: single use
        slack.oauth_codes["code-2"] = {"id": "T0ACME", "name": "Acme"}
        again = started.back(url, "code-2")
        assert again.status_code == 401 and "expired or was already used" in again.text


def test_members_forged_states_and_a_taken_workspace_are_refused(
    engine: Engine, slack: FakeSlack
) -> None:
    acme = make_org(engine, NOW, slug="acme")
    other = make_org(engine, NOW, slug="other")
    ctx = make_context(engine, clock=lambda: NOW)
    with live_server(ctx) as url:
        member = browser_of(url, acme, admin=False)
        assert member.get("/slack/install").status_code == 403
        anonymous = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
        assert anonymous.get("/slack/install").headers["location"] == "/login"

        # a state issued to acme, pointed at the other organisation: refused, nothing mapped
        browser = browser_of(url, acme)
        started = start_install(browser)
        rest = started.state.partition(".")[2]
        forged = f"{other.fixture.org_id}.{rest}"
        slack.oauth_codes["code-f"] = {"id": "T0EVIL", "name": "Evil"}
        started.cookie = f"slack-app-oauth-state={forged}"
        refused = started.back(url, "code-f", state=forged)
        assert refused.status_code == 401
        assert find_installation(engine, "T0EVIL") is None
        assert slack.calls_to("oauth.v2.access") == [], "no code is traded on a bad state"

        # acme installs T0ACME; the other organisation may not take it over
        slack.oauth_codes["code-a"] = {"id": "T0ACME", "name": "Acme"}
        assert start_install(browser).back(url, "code-a").status_code == 303
        intruder = browser_of(url, other)
        slack.oauth_codes["code-o"] = {"id": "T0ACME", "name": "Acme"}
        taken = start_install(intruder).back(url, "code-o")
        assert taken.status_code == 500 and "another organisation" in taken.text
        mapped = find_installation(engine, "T0ACME")
        assert mapped is not None and mapped.org_id == acme.fixture.org_id
        # a state from another browser (without its state cookie) is refused too
        stolen = start_install(browser)
        stolen.cookie = "slack-app-oauth-state=another"
        slack.oauth_codes["code-s"] = {"id": "T0ACME", "name": "Acme"}
        assert stolen.back(url, "code-s").status_code == 400


def test_an_installed_workspace_is_answered_with_its_own_bot_token(
    engine: Engine, slack: FakeSlack
) -> None:
    acme = make_org(engine, NOW, slug="acme")
    slack.users_by_email["member@acme.test"] = "U0MEMBER"
    ctx = make_context(engine, clock=lambda: NOW)
    with live_server(ctx) as url:
        slack.oauth_codes["code-1"] = {"id": "T0ACME", "name": "Acme"}
        assert start_install(browser_of(url, acme)).back(url, "code-1").status_code == 303
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0ACME",
                "api_app_id": "A0APP",
                "event_id": "Ev0OAUTH1",
                "event_time": int(time.time()),
                "event": {
                    "type": "message",
                    "channel_type": "im",
                    "channel": "D0MEMBER",
                    "user": "U0MEMBER",
                    "text": "help",
                    "ts": "1700000000.000100",
                },
            }
        )
        headers = {"Content-Type": "application/json", **signed(SIGNING_SECRET, body)}
        assert httpx.post(f"{url}/slack/events", content=body, headers=headers).status_code == 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not slack.calls_to("chat.postMessage"):
            time.sleep(0.1)  # the answer comes from a lazy listener thread
        posted = slack.calls_to("chat.postMessage")
        assert posted and posted[0].args["channel"] == "D0MEMBER"
        # no bot token is configured: every call carried the one the installation stored
        assert {c.authorization for c in slack.calls if c.method != "oauth.v2.access"} == {
            f"Bearer {slack.token}"
        }
        # the workspace removes the app: its mapping goes, and the audit log has both
        gone = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0ACME",
                "api_app_id": "A0APP",
                "event_id": "Ev0OAUTH2",
                "event_time": int(time.time()),
                "event": {"type": "app_uninstalled"},
            }
        )
        headers = {"Content-Type": "application/json", **signed(SIGNING_SECRET, gone)}
        assert httpx.post(f"{url}/slack/events", content=gone, headers=headers).status_code == 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and find_installation(engine, "T0ACME") is not None:
            time.sleep(0.05)
        assert find_installation(engine, "T0ACME") is None
        admin = ctx.tools.actor_for_token(acme.admin_token, record_use=False)
        assert admin is not None
        log = [(i.actor, i.summary) for i in ctx.tools.list_audit(admin).items[:2]]
        assert log == [
            ("system", "Slack workspace T0ACME removed the skilltick app"),
            ("Ada Admin (admin@acme.test)", "connected Slack workspace T0ACME"),
        ]


def test_automations_post_to_slack_with_their_organisations_workspace_token(
    engine: Engine, slack: FakeSlack
) -> None:
    acme = make_org(engine, NOW, slug="acme")
    other = make_org(engine, NOW, slug="other")
    ctx = make_context(engine, clock=lambda: NOW)
    with live_server(ctx) as url:
        slack.oauth_codes["code-1"] = {"id": "T0ACME", "name": "Acme"}
        assert start_install(browser_of(url, acme)).back(url, "code-1").status_code == 303
    at_peer = ctx.settings.model_copy(update={"slack": SlackSettings(api_url=slack.base_url)})
    channels = ChannelRegistry(engine, at_peer)
    channel = channels.get("slack")
    report = Message(subject="Pipeline", text="3 candidates moved")
    channel.send(report, Recipient("#hiring"), message_id="<m1@x>", org_id=acme.fixture.org_id)
    posted = slack.calls_to("chat.postMessage")
    assert len(posted) == 1 and posted[0].authorization == f"Bearer {slack.token}"
    with pytest.raises(DeliveryError) as refused:
        channel.send(report, Recipient("#hiring"), message_id="<m2@x>", org_id=other.fixture.org_id)
    assert not refused.value.retryable and "connect a Slack workspace" in refused.value.message
    assert len(slack.calls_to("chat.postMessage")) == 1
