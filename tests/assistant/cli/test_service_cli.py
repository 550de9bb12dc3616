"""The service's commands: `skilltick tokens create` prints a working token, and
`skilltick serve --demo` serves the dashboard, API and worker on one port and prints a login
link that opens a session."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from assistant.cli.root import app
from models.engine import make_engine
from models.store.deliveries import list_outbox
from tests.assistant.serve_process import serve_demo


def test_tokens_create_prints_a_token_of_the_first_admin_by_default(tmp_path: Path) -> None:
    env = {"SKILLTICK_HOME": str(tmp_path)}
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "seed", "--candidates", "5"], env=env).exit_code == 0
    created = runner.invoke(app, ["tokens", "create", "--org", "demo"], env=env)
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    assert token.startswith("stk_")
    listed = runner.invoke(app, ["tokens", "list", "--org", "demo", "--json"], env=env)
    assert '"user_email": "alex.admin@' in listed.output and token not in listed.output
    unknown = runner.invoke(app, ["tokens", "create", "--org", "nope"], env=env)
    assert unknown.exit_code == 1


def test_serve_demo_runs_everything_on_one_port_and_prints_a_login_link(tmp_path: Path) -> None:
    # a narrow COLUMNS must not matter: piped output is never wrapped, so the link stays whole
    with serve_demo(tmp_path, columns=40) as served:
        printed = served.output()
        assert "Weekly pipeline report" in printed and "runs in this process" in printed
        with httpx.Client(follow_redirects=True, timeout=30) as browser:
            offered = browser.get(served.login_link)
            assert "Sign in as" in offered.text and "skilltick_session" not in browser.cookies
            landed = browser.post(
                f"{served.base}/login",
                data={"token": served.token},
                headers={"Origin": served.base},
            )
            assert landed.status_code == 200 and "Weekly pipeline report" in landed.text
            assert browser.get(f"{served.base}/healthz").json() == {"ok": True}
            # the local demo shows its status and metrics without a token
            assert httpx.get(f"{served.base}/status").status_code == 200
            assert httpx.get(f"{served.base}/metrics").status_code == 200
            mine = browser.get(
                f"{served.base}/api/automations",
                headers={"Authorization": f"Bearer {served.token}"},
            ).json()
            assert {a["trigger_type"] for a in mine["items"]} >= {"cron"}
        # within its first minute every trigger type shows something without Slack set up:
        # the forced report and the event automation's email in the outbox, the poll's first
        # check in the member's Inbox
        assert "Forced run" in printed and "moved to Interview" in printed
        engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
        deadline = time.monotonic() + 60
        subjects: list[str] = []
        inbox: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            subjects = [m.subject for m in list_outbox(engine)]
            inbox = httpx.get(
                f"{served.base}/api/inbox",
                headers={"Authorization": f"Bearer {served.token}"},
                timeout=30,
            ).json()
            if len(subjects) >= 2 and inbox:
                break
            time.sleep(0.2)  # another process writes them: poll with a deadline
        engine.dispose()
        assert any(s.startswith("Pipeline report") for s in subjects), subjects
        assert any(s.endswith("reached Interview") for s in subjects), subjects
        assert inbox and "candidate" in str(inbox[0]["subject"]).lower(), inbox
    assert served.said("Stopped."), "SIGTERM lets the worker finish its tick first"


def test_serve_says_where_slack_reaches_it_or_what_is_missing() -> None:
    from assistant.cli.serve_words import slack_words
    from models.settings_integrations import SlackSettings

    base = "https://hire.example.com/"
    assert slack_words(SlackSettings(), base) is None
    one = SlackSettings(bot_token="xoxb-1", signing_secret="s" * 32)
    served = slack_words(one.model_copy(update={"org": "acme"}), base)
    assert served == (
        "Slack: events, /skilltick and interactivity at https://hire.example.com/slack/events."
    )
    unplaced = slack_words(one, base) or ""
    assert "; set SKILLTICK_SLACK_ORG to the organisation its users belong to" in unplaced
    many = SlackSettings(client_id="1.2", client_secret="c" * 32, signing_secret="s" * 32)
    assert "admins connect workspaces at https://hire.example.com/slack/install" in (
        slack_words(many, base) or ""
    )
    half = slack_words(SlackSettings(bot_token="xoxb-1"), base)
    assert half == (
        "Slack is not served at https://hire.example.com/slack/events: "
        "set SKILLTICK_SLACK_SIGNING_SECRET."
    )
    secret_only = slack_words(SlackSettings(signing_secret="s" * 32), base) or ""
    assert "set SKILLTICK_SLACK_BOT_TOKEN (or SKILLTICK_SLACK_CLIENT_ID" in secret_only
