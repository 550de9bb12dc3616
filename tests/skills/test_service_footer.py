"""What every report and alert ends with promises only the ways this service offers: Slack when
the Slack app answers, the dashboard and Claude (MCP at /mcp) when the public address is known.
Each built-in skill's email (text and HTML) and Slack layout is rendered with the real templates
under every (Slack on/off) x (public URL on/off) setting, and checked against those facts."""

from __future__ import annotations

import html
import itertools
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.cli.listen import with_public_url
from assistant.slack.report_blocks import report_blocks
from models.settings import Settings, TriggerSettings, load_settings
from models.settings_integrations import SlackSettings
from models.store.conversations import save_installation
from models.store.orgs import create_org
from skills.base import SkillOutput
from skills.footer import SENT_BY, Reach, footer_of, reach_of, service_footer
from tests.skills.test_builtin_render_fake import CASES, run_skill
from worker.run.footers import KEPT_SECONDS, OrgFooters
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
PUBLIC_URL = "https://hire.example.com"
SIGNING = "a-signing-secret-of-the-slack-app"
OAUTH: dict[str, Any] = {"client_id": "1.2", "client_secret": "secret", "signing_secret": SIGNING}


def settings_of(slack: bool, public_url: str | None) -> Settings:
    chat = SlackSettings(bot_token="xoxb-1", signing_secret=SIGNING, org="demo") if slack else None
    triggers = TriggerSettings(public_url=public_url) if public_url else TriggerSettings()
    return Settings(slack=chat or SlackSettings(), triggers=triggers)


def surfaces(output: SkillOutput) -> dict[str, str]:
    """What a recipient reads: the email's text and HTML, and the Slack message (a report's
    blocks; otherwise Slack shows the text)."""
    slack = json.dumps(report_blocks(output.document)) if output.document else output.text
    return {"text": output.text, "html": html.unescape(output.html), "slack": slack}


MATRIX = list(itertools.product([False, True], [None, PUBLIC_URL]))
#: the skills the golden cases leave out that message staff: a reminder, an ATS event's alert
MORE: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("reminder", "reminder", {}, {"message": "Call Ada back about the offer"}),
    ("event_alert", "event-alert", {"event": "candidate.hired", "candidate_id": "1"}, {}),
]
ALL = CASES + MORE
#: messages to candidates end with their own footer ("Questions? Reply to this email.")
TO_CANDIDATES = {"interview-prep"}


@pytest.mark.parametrize(("slack", "public_url"), MATRIX)
def test_each_builtin_skill_promises_only_the_ways_the_service_offers(
    slack: bool, public_url: str | None
) -> None:
    footer = service_footer(settings_of(slack, public_url))
    for golden, skill, trigger, params in ALL:
        output = run_skill(skill, trigger, footer=footer, **params)
        to_staff = skill not in TO_CANDIDATES
        for surface, shown in surfaces(output).items():
            where = f"{golden} ({surface})"
            assert (footer in shown or json.dumps(footer)[1:-1] in shown) == to_staff, where
            assert ("Slack" in shown) == (slack and to_staff), where
            assert (PUBLIC_URL in shown) == bool(public_url and to_staff), where
            assert ("Claude" in shown) == bool(public_url and to_staff), where
            assert "just ask" not in shown, where


def test_a_note_to_a_candidate_keeps_its_own_footer() -> None:
    footer = service_footer(settings_of(True, PUBLIC_URL))
    note = run_skill("candidate-note", {"candidate_id": 3}, footer=footer, kind="rejection")
    for shown in (note.text, note.html):
        assert "Slack" not in shown and PUBLIC_URL not in shown and "Claude" not in shown
    assert "Questions? Reply to this email." in note.html


def test_without_the_services_footer_a_message_promises_nothing() -> None:
    for _golden, skill, trigger, params in ALL:
        for shown in surfaces(run_skill(skill, trigger, **params)).values():
            assert (SENT_BY in shown) == (skill not in TO_CANDIDATES)
            assert "Slack" not in shown and "Claude" not in shown


def test_slack_counts_only_when_the_app_answers_for_an_organisation() -> None:
    served = {"bot_token": "xoxb-1", "signing_secret": SIGNING}
    cases: list[tuple[dict[str, Any], bool]] = [
        ({}, False),
        ({"bot_token": "xoxb-1"}, False),  # no signing secret: /slack/events is not served
        (served, False),  # the bot cannot tell whose organisation its users belong to
        ({**served, "org": "demo"}, True),
        (OAUTH, True),
    ]
    for fields, answers in cases:
        assert reach_of(Settings(slack=SlackSettings(**fields))).slack is answers, fields


def test_the_public_url_counts_when_set_or_served_not_as_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SKILLTICK_PUBLIC_URL", raising=False)
    assert reach_of(load_settings()).public_url is None  # this machine's default address
    served = with_public_url(load_settings(), "http://127.0.0.1:8080")  # what `serve` listens on
    assert reach_of(served).public_url == "http://127.0.0.1:8080"
    monkeypatch.setenv("SKILLTICK_PUBLIC_URL", PUBLIC_URL + "/")
    assert reach_of(load_settings()).public_url == PUBLIC_URL
    assert reach_of(with_public_url(load_settings(), "http://0.0.0.0:8080")).public_url == (
        PUBLIC_URL
    )


def test_the_demo_footer_names_the_address_it_serves_and_no_slack_it_lacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("PUBLIC_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(f"SKILLTICK_{name}", raising=False)
    demo = with_public_url(load_settings(), "http://127.0.0.1:8080")  # as `serve --demo` does
    assert service_footer(demo) == (
        f"{SENT_BY} To pause or change this automation, open http://127.0.0.1:8080 or ask "
        "Claude connected to http://127.0.0.1:8080/mcp."
    )


def test_slack_is_named_only_for_the_organisations_whose_people_the_app_answers(
    engine: Engine,
) -> None:
    """One install names its organisation (SKILLTICK_SLACK_ORG); OAuth installs map workspaces
    to organisations: the others' people get no answer in Slack, so their footer says none."""
    orgs = {
        slug: create_org(engine, slug=slug, name=slug.title(), now=NOW).id or 0
        for slug in ("acme", "beta", "gamma")
    }
    save_installation(
        engine, org_id=orgs["beta"], team_id="T1", bot_user_id="U1", bot_token="xoxb-2", now=NOW
    )
    installs: list[tuple[dict[str, Any], set[str]]] = [
        ({"bot_token": "xoxb-1", "signing_secret": SIGNING, "org": "acme"}, {"acme"}),
        (OAUTH, {"beta"}),
        ({**OAUTH, "org": "acme"}, {"acme", "beta"}),
        ({"bot_token": "xoxb-1", "org": "acme"}, set()),  # no signing secret: not served
        ({**OAUTH, "org": "nowhere"}, {"beta"}),  # an install naming no organisation here
    ]
    for slack, answered in installs:
        settings = Settings(slack=SlackSettings(**slack), triggers=TriggerSettings())
        footers = OrgFooters(engine, settings)
        for slug, org_id in orgs.items():
            footer = footers(org_id)
            assert ("Slack" in footer) == (slug in answered), (slack, slug)
            assert footer == footer_of(Reach(slug in answered, None))


def test_an_organisations_new_install_shows_in_its_footer_within_minutes(
    sqlite_engine: Engine,
) -> None:
    org_id = create_org(sqlite_engine, slug="acme", name="Acme", now=NOW).id or 0
    clock = [0.0]
    footers = OrgFooters(sqlite_engine, Settings(slack=SlackSettings(**OAUTH)), lambda: clock[0])
    assert "Slack" not in footers(org_id)
    save_installation(
        sqlite_engine, org_id=org_id, team_id="T1", bot_user_id="U", bot_token="x", now=NOW
    )
    clock[0] = KEPT_SECONDS - 1
    assert "Slack" not in footers(org_id)  # kept, not looked up on every run
    clock[0] = KEPT_SECONDS
    assert "Slack" in footers(org_id)


def test_a_worker_ends_each_run_with_its_organisations_footer(sqlite_engine: Engine) -> None:
    org_id = create_org(sqlite_engine, slug="acme", name="Acme", now=NOW).id or 0
    settings = settings_of(True, PUBLIC_URL)  # the Slack app answers "demo" only
    worker = Worker(sqlite_engine, settings)
    assert worker.executor.footers is not None
    assert worker.executor.footers(org_id) == service_footer(settings_of(False, PUBLIC_URL))
