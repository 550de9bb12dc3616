"""The demo service's dashboard in headless Chromium, as a recruiter reads it: the Inbox's unread
count in the header stays true while messages are opened, marked unread and all marked read; a
workflow reads step by step (and an edit of its name keeps its steps); a run says what it did,
where it delivered, and for a failure why and what to do, with a retry; a run of the next
runs is skipped and brought back by its buttons; a mistyped address or a
form's bad field is one line in words, on a page; a recruiter with 1,000 automations pages
through them and finds one by name. One browser and one
served demo (its automations run once) serve the whole module; what pages say is checked
against the store."""

from __future__ import annotations

import html
import re
import time
from datetime import timedelta

import pytest
from sqlmodel import Session

from assistant.demo import INTERVIEW_FOLLOW_UP, WEEKLY_REPORT
from assistant.tools.base import Actor
from assistant.tools.views import AutomationSpec
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.inbox import add_inbox_message, count_unread_inbox
from models.store.orgs import find_org, find_user
from models.store.run_queue import db_now
from models.tables.automations import Automation
from tests.assistant.http.recruiter_demo import Demo, served_demo, signed_in  # noqa: F401
from tests.assistant.http.service_harness import client, free_port
from tests.assistant.http.test_dashboard_browser import chromium  # noqa: F401
from tests.assistant.http.test_dashboard_pages import browser
from worker.tick.tick import Worker


def test_the_unread_count_follows_opening_marking_unread_and_marking_all_read(
    demo: Demo,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Page, expect

    me = demo.recruiter
    for n in range(3):
        add_inbox_message(
            demo.ctx.engine,
            org_id=me.org_id,
            user_email=me.email,
            message_key=f"<walk-{n}@test>",
            subject=f"Note {n} for Dana",
            text=f"Body {n}",
            html=None,
            now=db_now(demo.ctx.engine),
        )
    page = signed_in(chromium, demo, demo.service.member_token)
    assert isinstance(page, Page)
    inbox_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox")

    def store_count() -> int:
        return count_unread_inbox(demo.ctx.engine, me.org_id, me.user_id)

    def header_says(count: int) -> None:
        assert store_count() == count
        if count:
            expect(inbox_link).to_have_text(f"Inbox {count} unread")
        else:
            expect(inbox_link).to_have_text("Inbox")

    unread = store_count()
    assert unread >= 3
    header_says(unread)

    inbox_link.click()
    page.get_by_role("link", name="Note 1 for Dana").click()
    expect(page.get_by_role("heading", name="Note 1 for Dana")).to_be_visible()
    header_says(unread - 1)

    page.get_by_role("button", name="Mark as unread").click()
    expect(page.get_by_role("status")).to_have_text("Marked as unread.")
    header_says(unread)

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_have_text(f"Marked {unread} messages as read.")
    header_says(0)
    expect(page.get_by_role("button", name="Mark all as read")).to_have_count(0)

    page.get_by_role("button", name="Mark “Note 2 for Dana” as unread").click()
    header_says(1)
    row = page.get_by_role("row").filter(has_text="Note 2 for Dana")
    expect(row).to_contain_text(re.compile(r"unread$"))

    # the API marks them the same way, and the header follows
    with client(demo.url, demo.service.member_token) as api:
        assert api.post("/api/inbox/all/read").json() == {"marked": 1, "unread": 0}
        (first, *_) = api.get("/api/inbox").json()
        assert api.post(f"/api/inbox/{first['id']}/unread").json() == {"marked": 1, "unread": 1}
        assert api.post("/api/inbox/99999/unread").status_code == 404
    page.reload()
    header_says(1)
    page.context.close()


def test_a_workflow_reads_step_by_step_and_an_edit_of_its_name_keeps_its_steps(
    demo: Demo,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Page, expect

    (workflow,) = [v for v in demo.service.automations if v.name == INTERVIEW_FOLLOW_UP]
    before = get_automation(demo.ctx.engine, demo.recruiter.org_id, workflow.id)
    page = signed_in(chromium, demo, demo.service.admin_token)
    assert isinstance(page, Page)
    page.goto(f"{demo.url}/automations/{workflow.id}")
    steps = page.locator("ol.steps li")
    # the admin reads whose "you" the owner's steps mean
    expect(steps).to_have_text(
        [
            f"Email {demo.recruiter.email} “the candidate's name reached Interview”",
            "A task for the candidate's owner “Schedule interviews for the candidate's name” "
            "due in 2 days",
        ]
    )
    expect(page.locator("main")).not_to_contain_text("{{")
    expect(page.locator("main")).not_to_contain_text("send_email")
    history = page.locator("details.run").first
    history.locator("summary").click()
    expect(history).to_contain_text("Emailed the automation's owner (candidate #")
    expect(history).to_contain_text("Created a follow-up task (candidate #")
    expect(history).not_to_contain_text("candidate id")

    page.goto(f"{demo.url}/?scope=all")
    row = page.get_by_role("row").filter(has_text=INTERVIEW_FOLLOW_UP)
    expect(row).to_contain_text(f"a workflow of 2 steps: email {demo.recruiter.email} “")
    # owners' addresses and zone names wrap at their joints: the table stays within the page
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.goto(f"{demo.url}/?scope=system")
    expect(page.locator("main")).to_contain_text("no message of its own")
    expect(page.locator("main")).not_to_contain_text("noop")
    page.goto(f"{demo.url}/tokens")
    expect(page.locator("main")).to_contain_text("Every token of the organisation. Revoking")

    page.goto(f"{demo.url}/automations/{workflow.id}")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Name").fill(f"{INTERVIEW_FOLLOW_UP} (renamed)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{INTERVIEW_FOLLOW_UP} (renamed)")
    expect(steps).to_have_count(2)
    after = get_automation(demo.ctx.engine, demo.recruiter.org_id, workflow.id)
    assert after.params == before.params

    # a test says what it ran on and that none of the steps ran
    page.get_by_role("button", name="Test (send nothing)").click()
    preview = page.locator("section.preview")
    expect(preview).to_contain_text(re.compile(r"\(#\d+: a candidate changes stage\)"))
    expect(preview).to_contain_text("A test runs none of the steps above")
    expect(preview).not_to_contain_text("candidate.stage_changed")
    page.context.close()


def test_a_failed_run_says_why_and_what_to_do_and_its_retry_runs_it_again(
    demo: Demo,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Page, expect

    (report,) = [v for v in demo.service.automations if v.name == WEEKLY_REPORT]
    page = signed_in(chromium, demo, demo.service.member_token)
    assert isinstance(page, Page)
    page.goto(f"{demo.url}/automations/{report.id}")
    page.get_by_role("button", name="Run now").click()
    run_id = int(page.url.split("/runs/")[1].split("?")[0])
    # a mail server that refuses every connection, and no second attempt
    refusing = load_settings(smtp_host="127.0.0.1", smtp_port=free_port(), max_attempts=1)
    Worker(demo.ctx.engine, refusing, registry=demo.ctx.registry).tick()
    assert demo.ctx.tools.get_run(demo.recruiter, run_id).status == "failed"

    page.reload()
    steps = page.get_by_role("table").get_by_role("row")
    expect(steps.nth(1)).to_contain_text("Prepared a summary of your pipeline")
    expect(steps.nth(2)).to_contain_text("Sent by email to 0 recipients (1 failed)")
    expect(steps.nth(2)).to_contain_text("failed")
    expect(steps.nth(2)).to_contain_text("Check the recipients and how the output is sent")
    expect(page.get_by_text("Why it failed")).to_be_visible()
    main = page.locator("main")
    expect(page.get_by_text("by stage: Applied")).to_be_visible()
    # no codes, field names, record ids in the summary or recipient hashes
    for code in ("deliver", "render", "channel=", "_", re.compile(r"[0-9a-f]{16}")):
        expect(main).not_to_contain_text(code)
    expect(main.get_by_role("list").first).to_contain_text("1 recipient — failed")

    page.get_by_role("button", name="Retry this run").click()
    expect(page.get_by_role("heading", name="Run #")).not_to_have_text(f"Run #{run_id}")
    retried = int(page.url.split("/runs/")[1].split("?")[0])
    demo.ctx.build_worker().tick()
    assert demo.ctx.tools.get_run(demo.recruiter, retried).status == "completed"
    page.reload()
    expect(steps.nth(2)).to_contain_text("Sent by email to 1 recipient")
    expect(page.get_by_role("button", name="Retry this run")).to_have_count(0)
    page.context.close()


def test_a_run_of_the_next_runs_list_is_skipped_and_brought_back(
    demo: Demo,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Page, expect

    (report,) = [v for v in demo.service.automations if v.name == WEEKLY_REPORT]
    page = signed_in(chromium, demo, demo.service.member_token)
    assert isinstance(page, Page)
    page.goto(f"{demo.url}/automations/{report.id}")
    runs = page.locator("ul.next-runs > li")
    first = demo.ctx.tools.get_automation(demo.recruiter, report.id).next_runs[0]
    runs.first.get_by_role("button", name=re.compile(r"^Skip the run of ")).click()
    expect(runs.first).to_contain_text("skipped")
    expect(page.locator("ul.next-runs li.skipped")).to_have_count(1)
    assert demo.ctx.tools.skipped_runs(demo.recruiter, report.id).skips == [first]
    runs.first.get_by_role("button", name=re.compile(r"^Unskip the run of ")).click()
    expect(page.locator("ul.next-runs li.skipped")).to_have_count(0)
    assert demo.ctx.tools.skipped_runs(demo.recruiter, report.id).skips == []
    page.context.close()


@pytest.mark.parametrize(
    ("address", "status", "said"),
    [
        ("/automations/abc", 404, "There is no page at /automations/abc."),
        ("/runs/1x", 404, "There is no page at /runs/1x."),
        ("/automations/1?cursor=abc", 400, "This page does not take that cursor"),
        ("/?scope=everything", 400, "This page does not take that scope"),
        ("/runs/99999", 404, "No run #99999 in your organisation."),
    ],
)
def test_a_mistyped_address_is_a_page_that_says_so(
    demo: Demo, address: str, status: int, said: str
) -> None:
    client, _ = browser(demo.url, demo.service.member_token)
    answer = client.get(address, headers={"Accept": "text/html"})
    client.close()
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert said in answer.text


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"name": ""}, "Name cannot be empty."),
        (
            {"trigger_type": "poll", "poll_interval_minutes": "0"},
            "Check every (minutes) must be at least 1.",
        ),
        ({"timezone": "Mars/Olympus"}, "Unknown time zone 'Mars/Olympus'."),
        ({"cron": "every monday"}, "Cron expressions need 5 fields"),
    ],
)
def test_a_bad_field_of_the_new_form_is_said_in_words_and_the_rest_is_kept(
    demo: Demo, fields: dict[str, str], said: str
) -> None:
    client, csrf = browser(demo.url, demo.service.member_token)
    blank = client.get("/automations/new").text
    # the form's own example: a pipeline report whose period is left to its schedule (a
    # period filled in would stay weekly when the cron is made daily)
    assert 'value="pipeline-report" selected' in blank and "period=" not in blank
    form = {
        "csrf": csrf,
        "name": "Friday digest",
        "skill": "pipeline-report",
        "params": "period=weekly",
        "trigger_type": "cron",
        "cron": "0 9 * * FRI",
        "output_channel": "email",
        "to": "me",
        **fields,
    }
    answer = client.post("/automations/new", data=form)
    client.close()
    assert answer.status_code == 422
    error = re.search(r'<p class="error" role="alert" id="form-error">([^<]*)</p>', answer.text)
    assert error and said in html.unescape(error.group(1)), answer.text[:2000]
    assert "should" not in error.group(1)  # no validator's wording
    assert 'value="0 9 * * FRI"' in answer.text or "cron" in fields


def test_a_thousand_automations_page_by_fifty_and_one_is_found_by_name(
    demo: Demo,
    chromium: object,  # noqa: F811
) -> None:
    from playwright.sync_api import Page, expect

    engine = demo.ctx.engine
    org = find_org(engine, demo.service.setup.org_slug)
    sam = Actor.of(find_user(engine, org.id or 0, demo.service.setup.member_emails[1]))
    now = db_now(engine)
    roles = ["Backend Engineer", "Designer", "Account Executive", "Data *Lead*"]
    with Session(engine) as session:
        session.add_all(
            Automation(
                org_id=sam.org_id,
                owner_id=sam.user_id,
                name=f"Req {i:04d} {roles[i % len(roles)]}",
                skill="pipeline-report",
                params={"period": "weekly"},
                trigger_type="cron",
                cron_expression=f"{i % 60} {8 + i % 9} * * MON-FRI",
                timezone="America/Los_Angeles",
                output_channel="email",
                output_config={"to": ["me"]},
                next_run_at=now + timedelta(hours=1 + i % 40),
                created_at=now,
                updated_at=now,
            )
            for i in range(1000)
        )
        session.commit()
    token = demo.ctx.tools.create_api_token(sam, name="walk").token
    page = signed_in(chromium, demo, token)
    assert isinstance(page, Page)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("Req 0000 Backend Engineer")
    started = time.perf_counter()
    for _ in range(3):
        page.get_by_role("link", name="Next page →").click()
        expect(rows.first).to_contain_text(re.compile(r"Req 0(0[5-9]|1[0-9])\d"))
    # a page of fifty is an index range scan and fifty rows, however many there are
    assert (time.perf_counter() - started) / 3 < 3.0

    page.get_by_label("Find by name").fill("data *lead")
    page.get_by_role("button", name="Find").click()
    expect(rows).to_have_count(50)  # 250 of them
    expect(rows.first).to_contain_text("Req 0003 Data *Lead*")
    page.get_by_role("link", name="Next page →").click()
    expect(rows.first).to_contain_text("Req 0203 Data *Lead*")
    expect(page.get_by_label("Find by name")).to_have_value("data *lead")
    page.get_by_label("Find by name").fill("Req 0777")
    page.get_by_role("button", name="Find").click()
    expect(rows).to_have_count(1)
    rows.first.get_by_role("button", name="Pause Req 0777").click()
    expect(rows).to_have_count(1)  # back on the same search
    expect(rows.first).to_contain_text("paused")
    # on a phone, a name of 200 letters without a space wraps in its card
    long_name = "Q" * 200
    demo.ctx.tools.create_automation(
        sam,
        AutomationSpec(name=long_name, skill="pipeline-report", cron="0 9 * * MON", to=["me"]),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Find by name").fill("QQQQ")
    page.get_by_role("button", name="Find").click()
    expect(rows).to_have_count(1)
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows.first.get_by_role("link", name=long_name).click()
    page.wait_for_load_state()  # its style sheet too
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.go_back()
    page.get_by_label("Find by name").fill("no such 100%_name")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("main")).to_contain_text(
        "No automation has “no such 100%_name” in its name."
    )
    page.context.close()
