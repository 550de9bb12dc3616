"""Dashboard pages over HTTP: login by link (HttpOnly session cookie), CSRF on every form,
scope on every page, "why didn't it fire?", the outbox, the admin view and pagination."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.factories import make_automation
from models.store.automations import get_automation, list_automations
from models.store.deliveries import add_outbox_message
from models.store.orgs import create_user, get_org
from models.store.run_queue import db_now
from models.tables.runs import AutomationRun
from tests.assistant.http.service_harness import (
    Org,
    live_server,
    make_context,
    make_org_with_tokens,
)
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def browser(url: str, token: str) -> tuple[httpx.Client, str]:
    """A signed-in client and the CSRF token its forms carry."""
    c = httpx.Client(base_url=url, follow_redirects=False, timeout=30)
    assert sign_in(c, token).status_code == 303
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text)
    assert csrf
    return c, csrf.group(1)


def test_a_login_link_opens_an_httponly_session_and_drops_the_token_from_the_address(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with live_server(make_context(sqlite_engine)) as url, httpx.Client(base_url=url) as c:
        assert c.get("/", follow_redirects=False).headers["location"] == "/login"
        assert sign_in(c, "stk_wrong").status_code == 401
        offered = c.get("/login", params={"token": org.member_token})
        assert offered.status_code == 200 and "skilltick_session" not in c.cookies
        landed = c.post(
            "/login",
            data={"token": org.member_token},
            headers={"Origin": url},
            follow_redirects=True,
        )
        assert landed.status_code == 200 and str(landed.url) == f"{url}/"
        cookie = landed.history[0].headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert "member@acme.test" in landed.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', landed.text)
        assert csrf
        c.post("/logout", data={"csrf": csrf.group(1)})
        assert c.get("/", follow_redirects=False).status_code == 303


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    auto = make_automation(sqlite_engine, org.fixture, db_now(sqlite_engine))
    with live_server(make_context(sqlite_engine)) as url:
        c, _csrf = browser(url, org.member_token)
        for path in (
            f"/automations/{auto.id}/toggle",
            f"/automations/{auto.id}/delete",
            "/automations/new",
        ):
            refused = c.post(
                path,
                data={
                    "csrf": "forged",
                    "confirm": "yes",
                    "name": "x",
                    "skill": "noop",
                    "cron": "0 9 * * *",
                },
            )
            assert refused.status_code == 403, path
    assert get_automation(sqlite_engine, org.fixture.org_id, auto.id or 0).enabled
    assert len(list_automations(sqlite_engine, org.fixture.org_id)) == 1


def test_pages_keep_to_the_signed_in_users_scope(sqlite_engine: Engine) -> None:
    a = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    b = make_org_with_tokens(sqlite_engine, NOW, slug="bravo")
    mine = make_automation(sqlite_engine, a.fixture, db_now(sqlite_engine), name="Mine")
    other = create_user(sqlite_engine, org_id=a.fixture.org_id, email="other@acme.test", now=NOW)
    theirs = make_automation(
        sqlite_engine, a.fixture, db_now(sqlite_engine), owner_id=other.id, name="Theirs"
    )
    with live_server(make_context(sqlite_engine)) as url:
        member, csrf = browser(url, a.member_token)
        listing = member.get("/").text
        assert "Mine" in listing and "Theirs" not in listing
        assert member.get(f"/automations/{theirs.id}").status_code == 403
        assert (
            member.post(f"/automations/{theirs.id}/toggle", data={"csrf": csrf}).status_code == 403
        )
        assert member.get("/admin").status_code == 403
        outsider, _ = browser(url, b.admin_token)
        assert outsider.get(f"/automations/{mine.id}").status_code == 404
        admin, admin_csrf = browser(url, a.admin_token)
        assert "Theirs" in admin.get("/").text
        # what a colleague's automation does, read by an admin: whose, not "your"
        nudge = make_automation(
            sqlite_engine, a.fixture, db_now(sqlite_engine), owner_id=other.id,
            skill="reminder", params={"message": "update your candidates"}, name="Nudge",
        )  # fmt: skip
        nudging = admin.get(f"/automations/{nudge.id}").text
        assert "a reminder: “update your candidates”" in nudging, "quoted words stay"
        report = make_automation(
            sqlite_engine, a.fixture, db_now(sqlite_engine), owner_id=other.id,
            skill="pipeline-report", params={"scope": "mine"}, name="Report",
        )  # fmt: skip
        reporting = admin.get(f"/automations/{report.id}").text
        assert "a summary of other@acme.test&#39;s pipeline" in reporting
        assert "your pipeline" not in reporting
        assert (
            admin.post("/admin/plan", data={"csrf": admin_csrf, "plan": "pro"}).status_code == 303
        )
        # the admin page says what the plan allows, and names what runs beyond a smaller one
        assert "each running at most once a minute" in admin.get("/admin").text
        fast = make_automation(
            sqlite_engine, a.fixture, db_now(sqlite_engine), cron="*/5 * * * *", name="Often"
        )
        admin.post("/admin/plan", data={"csrf": admin_csrf, "plan": "free"})
        page = admin.get("/admin").text
        assert "The organisation is on the free plan: up to 5 active automations" in page
        assert f"runs more often than once a day (#{fast.id} “Often”)" in page
    assert get_org(sqlite_engine, a.fixture.org_id).plan == "free"
    assert get_automation(sqlite_engine, a.fixture.org_id, theirs.id or 0).enabled


def test_why_didnt_it_fire_says_it_is_paused_and_when_it_would_run(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    auto = make_automation(sqlite_engine, org.fixture, db_now(sqlite_engine))
    with live_server(ctx) as url:
        c, csrf = browser(url, org.member_token)
        page = c.get(f"/automations/{auto.id}").text
        assert "Why didn't it fire?" in page and "the next run is" in page
        c.post(f"/automations/{auto.id}/toggle", data={"csrf": csrf})
        paused = c.get(f"/automations/{auto.id}").text
        assert "It is paused (paused by member@acme.test)" in paused
        assert 'class="status status-paused">paused</span>' in paused, "a word, not a colour"


def test_the_outbox_shows_members_their_mail_and_admins_all_of_it(sqlite_engine: Engine) -> None:
    org: Org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    for to in ("member@acme.test", "admin@acme.test"):
        add_outbox_message(
            sqlite_engine,
            org_id=org.fixture.org_id,
            message_id=f"<{to}>",
            to_addr=to,
            subject=f"Report for {to}",
            now=NOW,
            raw=f"To: {to}\nSubject: Report\n\nHello {to}\n",
        )
    with live_server(make_context(sqlite_engine)) as url:
        member, _ = browser(url, org.member_token)
        box = member.get("/outbox").text
        assert "Report for member@acme.test" in box and "Report for admin@" not in box
        ids = re.findall(r'href="/outbox/(\d+)"', box)
        assert "Hello member@acme.test" in member.get(f"/outbox/{ids[0]}").text
        assert member.get("/outbox/2").status_code == 404
        admin, _ = browser(url, org.admin_token)
        assert admin.get("/outbox").text.count('href="/outbox/') == 2


def test_the_automations_page_shows_fifty_at_a_time(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    for i in range(55):
        make_automation(sqlite_engine, org.fixture, db_now(sqlite_engine), name=f"auto {i:02d}")
    with live_server(make_context(sqlite_engine)) as url:
        c, _ = browser(url, org.member_token)
        first = c.get("/").text
        assert first.count('href="/automations/') - first.count("/automations/new") == 50
        cursor = re.search(r'href="/\?cursor=(\d+)"', first)
        assert cursor
        rest = c.get("/", params={"cursor": cursor.group(1)}).text
        assert "auto 54" in rest and "auto 00" not in rest and "Next page" not in rest


def test_the_form_creates_an_automation_and_bad_input_is_shown_with_nothing_created(
    sqlite_engine: Engine,
) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with live_server(make_context(sqlite_engine)) as url:
        c, csrf = browser(url, org.member_token)
        fields = {
            "csrf": csrf,
            "name": "Daily",
            "skill": "noop",
            "params": "",
            "trigger_type": "cron",
            "cron": "0 9 * * *",
            "output_channel": "email",
            "to": "me",
        }
        bad = c.post("/automations/new", data={**fields, "cron": "0 25 * * *"})
        assert bad.status_code == 422 and "hour must be 0-23" in bad.text
        assert 'value="Daily"' in bad.text, "the form keeps what was typed"
        assert list_automations(sqlite_engine, org.fixture.org_id) == []
        made = c.post("/automations/new", data=fields)
        assert made.status_code == 303
        page = c.get(made.headers["location"]).text
        assert "At 09:00 AM" in page and "Created." in page
        edited = c.post(
            f"{made.headers['location'].split('?')[0]}/edit",
            data={**fields, "name": "Daily at ten", "cron": "0 10 * * *"},
        )
        assert edited.status_code == 303
    (auto,) = list_automations(sqlite_engine, org.fixture.org_id)
    assert (auto.name, auto.cron_expression) == ("Daily at ten", "0 10 * * *")


def test_a_sentence_becomes_a_draft_to_confirm_or_a_question(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    with live_server(make_context(sqlite_engine)) as url:
        c, csrf = browser(url, org.member_token)
        unclear = c.post("/automations/draft", data={"csrf": csrf, "sentence": "hmm"})
        # a sentence read as nothing is said so, and the box asks for something else
        assert unclear.status_code == 200 and "say it another way" in unclear.text
        assert "Say something else" in unclear.text
        clear = c.post(
            "/automations/draft",
            data={"csrf": csrf, "sentence": "Every weekday at 8am send me my pipeline"},
        )
        assert "Confirm and activate" in clear.text
        assert list_automations(sqlite_engine, org.fixture.org_id) == []
        action = re.search(r'action="(/automations/draft/\d+/confirm)"', clear.text)
        assert action
        assert c.post(action.group(1), data={"csrf": csrf}).status_code == 303
    assert len(list_automations(sqlite_engine, org.fixture.org_id)) == 1


def _choice_forms(page: str) -> list[dict[str, str]]:
    """The hidden fields of each choice button's form on a conversation page."""
    forms = re.findall(r'<form method="post" action="/automations/draft" class="inline">(.*?)</form>',
                       page, re.S)  # fmt: skip
    return [dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)) for form in forms]


def test_a_choice_from_an_older_page_answers_nothing(sqlite_engine: Engine) -> None:
    """'delete #A' then 'delete #B': the first page's Delete (another tab, the back button)
    would say "yes" to the question about #B; it is refused and nothing is deleted."""
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    first = make_automation(sqlite_engine, org.fixture, NOW, name="First")
    second = make_automation(sqlite_engine, org.fixture, NOW, name="Second")
    with live_server(make_context(sqlite_engine)) as url:
        c, csrf = browser(url, org.member_token)
        said = {"csrf": csrf}
        older = _choice_forms(
            c.post("/automations/draft", data={**said, "sentence": f"delete #{first.id}"}).text
        )
        newer = _choice_forms(
            c.post("/automations/draft", data={**said, "sentence": f"delete #{second.id}"}).text
        )
        (old_yes,) = [f for f in older if f["sentence"] == "yes"]
        (new_yes,) = [f for f in newer if f["sentence"] == "yes"]
        assert old_yes["asked"] != new_yes["asked"]
        stale = c.post("/automations/draft", data={**old_yes, **said})
        assert "already answered or replaced; nothing changed" in stale.text
        assert len(list_automations(sqlite_engine, org.fixture.org_id)) == 2
        # the question still waiting is answered by its own page's button
        done = c.post("/automations/draft", data={**new_yes, **said})
        assert "Deleted" in done.text
    (kept,) = list_automations(sqlite_engine, org.fixture.org_id)
    assert kept.id == first.id


def test_refusals_are_said_on_their_forms_and_the_history_says_codes_in_words(
    sqlite_engine: Engine,
) -> None:
    """A workflow's broken JSON says where it breaks, a pause into the past is said by its
    form with the day kept (nothing changed either time), the history of changes says what
    was created in words, and a report's scope says whose candidates it meant."""
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    steps = '[{"type": "create_task", "title": "Call {{ candidate.name }}", "due_in_days": 2}]'
    broken = steps.replace('"title":', '"title"', 1)
    with pytest.raises(json.JSONDecodeError) as decoding:
        json.loads(broken)
    # the value is one line of the form's Params box: where it breaks is a column of it
    where = f"at column {decoding.value.colno} of its value"
    report = make_automation(
        sqlite_engine, org.fixture, NOW, skill="pipeline-report", params={"scope": "mine"}
    )
    with Session(sqlite_engine) as s:
        run = AutomationRun(org_id=org.fixture.org_id, automation_id=report.id or 0,
                            triggered_by="manual", scheduled_for=NOW, not_before=NOW,
                            status="completed", created_at=NOW,
                            output_summary={"active": 3, "scope": "mine"})  # fmt: skip
        s.add(run)
        s.commit()
        s.refresh(run)
    with live_server(make_context(sqlite_engine)) as url:
        c, csrf = browser(url, org.member_token)
        fields = {
            "csrf": csrf,
            "name": "Call new people",
            "skill": "workflow",
            "params": f"actions={broken}",
            "trigger_type": "event",
            "event_type": "candidate.created",
            "output_channel": "email",
            "to": "me",
        }
        refused = c.post("/automations/new", data=fields)
        assert refused.status_code == 422 and "not valid JSON" in refused.text
        assert where in refused.text, "says where the JSON breaks"
        made = c.post("/automations/new", data={**fields, "params": f"actions={steps}"})
        assert made.status_code == 303
        auto_id = int(made.headers["location"].split("?")[0].rsplit("/", 1)[1])
        again = c.post(f"/automations/{auto_id}/edit", data={**fields, "name": "Renamed"})
        assert again.status_code == 422 and where in again.text
        past = c.post(f"/automations/{auto_id}/toggle", data={"csrf": csrf, "until": "2020-01-02"})
        assert past.status_code == 422 and 'id="until-error"' in past.text
        assert "The pause must end in the future." in past.text
        assert 'value="2020-01-02"' in past.text, "the form keeps the day typed"
        own_run = c.get(f"/runs/{run.id}").text
        admin, _ = browser(url, org.admin_token)
        for page in (c.get("/changes").text, admin.get("/admin/audit").text):
            assert f"created #{auto_id} (workflow, when a candidate is added, by email)" in page
            assert "candidate.created" not in page
        their_run = admin.get(f"/runs/{run.id}").text
    assert "active: 3" in own_run and "scope" not in own_run.split("Summary")[1]
    assert "scope: Max Member&#39;s candidates" in their_run
    stored = get_automation(sqlite_engine, org.fixture.org_id, auto_id)
    assert (stored.name, stored.enabled, stored.params["actions"][0]["title"]) == (
        "Call new people",
        True,
        "Call {{ candidate.name }}",
    )
