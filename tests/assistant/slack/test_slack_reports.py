"""Reports posted to Slack are Block Kit the Slack app builds from the report itself (a header,
a context line, the counts by stage as fields, lists per part, the footer as a context line),
not the e-mail's text in one section: a pipeline report run by the worker tick with the app's
layout, posted to the local Web API peer; without the app the worker posts the text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from assistant.slack.blocks import SlackBlocks
from assistant.slack.report_blocks import pipeline_blocks, sections_blocks
from bench.kit.factories import OrgFixture, make_automation
from bench.kit.peers.slack_web_api import fake_slack
from models.settings import load_settings
from models.store.run_queue import queue_run
from skills.ats.seed import seed_demo
from worker.delivery.channels import ChannelRegistry
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def test_a_pipeline_report_reaches_slack_as_block_kit(sqlite_engine: Engine) -> None:
    demo = seed_demo(sqlite_engine, now=NOW, candidates=40)
    org = OrgFixture(demo.org_id, demo.admin_id, demo.member_ids[0], "", "")
    auto = make_automation(
        sqlite_engine, org, NOW, skill="pipeline-report", channel="slack", to=["#hiring"]
    )
    with fake_slack() as peer:
        settings = load_settings(
            smtp_host=None,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret="the-slack-apps-signing-secret",
            slack_org="demo",
            slack_api_url=peer.base_url,
            public_url="https://hire.example.com",
        )
        queue_run(
            sqlite_engine,
            automation_id=auto.id or 0,
            org_id=org.org_id,
            triggered_by="manual",
            now=NOW + timedelta(minutes=1),
        )
        channels = ChannelRegistry(sqlite_engine, settings, slack_layout=SlackBlocks())
        Worker(sqlite_engine, settings, channels=channels).tick(NOW + timedelta(minutes=1))
    (post,) = peer.calls_to("chat.postMessage")
    blocks = post.args["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    kinds = [b["type"] for b in blocks]
    assert kinds[:2] == ["header", "context"] and kinds[-2:] == ["divider", "context"]
    assert blocks[0]["text"]["text"].startswith("Pipeline report (")
    stage_fields = [f["text"] for b in blocks for f in b.get("fields", [])]
    assert stage_fields and all(f.startswith("*") and "\n" in f for f in stage_fields)
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section" and "text" in b]
    assert any(t.startswith("*Active candidates by stage*") for t in texts)
    assert any(t.startswith("*Not contacted for") for t in texts)
    # no e-mail layout: no UPPERCASE headings, no space-aligned columns
    assert "ACTIVE CANDIDATES" not in json.dumps(blocks) and "    " not in json.dumps(blocks)
    # the footer names the ways this service offers: its Slack app and its dashboard
    footer = blocks[-1]["elements"][0]["text"]
    assert "ask skilltick in Slack" in footer and "https://hire.example.com" in footer
    assert len(blocks) <= 50


def test_the_shared_report_layout_becomes_headed_sections_within_slacks_limits() -> None:
    many = [{"text": f"Candidate {i} <x@y>", "flag": "HIGH" if i % 2 else ""} for i in range(400)]
    blocks = sections_blocks(
        {
            "title": "New candidates " * 20,
            "subtitle": "Matching every new applicant",
            "intro": "400 new applicants & 200 high priority.",
            "sections": [
                {"heading": "Applicants", "items": many, "more": 5},
                {"heading": "Quiet", "items": [], "empty": "Nobody new."},
            ]
            + [{"heading": f"Part {i}", "paragraphs": ["text"]} for i in range(60)],
        }
    )
    assert len(blocks) == 50 and blocks[-1]["type"] == "context"
    assert "the dashboard has the whole report" in json.dumps(blocks[-3])
    assert len(blocks[0]["text"]["text"]) <= 150
    applicants = blocks[3]["text"]["text"]
    assert applicants.startswith("*Applicants*\n• Candidate 0 &lt;x@y&gt;")
    assert "• *HIGH* Candidate 1" in applicants and len(applicants) <= 3000
    assert blocks[4]["text"]["text"] == "*Quiet*\n_Nobody new._"
    assert blocks[2]["text"]["text"] == "400 new applicants &amp; 200 high priority."


def test_a_pipeline_report_for_a_big_team_is_cut_with_a_dashboard_line() -> None:
    people = [
        {"name": f"Cand <!here> {i}", "job": "Eng & Ops", "stage": "Screen", "days": 30}
        for i in range(2000)
    ]
    moves = [
        {"name": f"Mover {i}", "job": "Eng", "from": "Applied", "to": "Screen", "date": "Nov 2"}
        for i in range(2000)
    ]
    blocks = pipeline_blocks(
        {
            "title": "Pipeline report",
            "period_label": "week of Nov 30",
            "scope_label": "Everyone's candidates",
            "generated_label": "Mon Nov 30, 9:00 AM",
            "active": 5000,
            "stages": [{"name": f"Stage {i}", "count": i} for i in range(600)],
            "since_label": "in the last 7 days",
            "move_total": 2000,
            "move_counts": [{"from": "Applied", "to": "Screen", "count": 2000}],
            "moves": moves,
            "moves_not_listed": 0,
            "stale_days": 14,
            "stale_total": 2000,
            "stale": people,
            "stale_not_listed": 0,
        }
    )
    assert len(blocks) == 50 and [b["type"] for b in blocks[-2:]] == ["divider", "context"]
    assert "the dashboard has the whole report" in json.dumps(blocks[-3])
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert "<!here>" not in json.dumps(blocks)
