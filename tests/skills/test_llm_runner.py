"""LLM mode through the real worker tick and the real anthropic client, pointed at a local
server speaking the Messages API: tool_use turns then end_turn (tokens recorded as numbers),
each failure — 429 with retry-after, 529, 500, a hang past the timeout — falling back to the
deterministic output and saying so, an llm-only skill failing clearly, the turn bound, prompt
caching, and a model that only ever gets read-only tools."""

from __future__ import annotations

import email
import email.policy
import html
import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bench.kit.peers.anthropic import (
    HANG,
    FakeAnthropic,
    fake_anthropic,
    final,
    status,
    tool_use,
)
from models.settings import Settings, TriggerSettings, load_settings
from models.settings_integrations import AnthropicSettings
from models.store.automations import add_automation
from models.store.run_queue import queue_run
from models.tables.automations import Automation
from models.tables.deliveries import OutboxMessage
from models.tables.runs import AutomationRun
from skills.ats.seed import seed_demo
from skills.footer import service_footer
from skills.llm.runner import LlmSkillRunner
from skills.llm.tools import TOOL_NAMES
from skills.registry import SkillRegistry
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
NARRATIVE = "Interview is the busiest stage; four candidates wait on you."


def runner(peer: FakeAnthropic, **overrides: Any) -> LlmSkillRunner:
    return LlmSkillRunner(
        AnthropicSettings(
            **{
                "api_key": "sk-ant-test",
                "base_url": peer.base_url,
                "timeout_seconds": 5,
                **overrides,
            }
        )
    )


def run_skill(
    engine: Engine,
    llm: LlmSkillRunner | None,
    skill: str = "pipeline-report",
    registry: SkillRegistry | None = None,
    at: datetime = NOW,
    settings: Settings | None = None,
) -> AutomationRun:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=30)
    auto = add_automation(
        engine,
        Automation(
            org_id=demo.org_id,
            owner_id=demo.member_ids[0],
            name=skill,
            skill=skill,
            params={"scope": "organization"} if skill == "pipeline-report" else {},
            trigger_type="event",
            event_type="candidate.stage_changed",
            output_channel="email",
            output_config={"to": ["me"]},
            created_at=NOW,
            updated_at=NOW,
        ),
    )
    run_id = queue_run(
        engine, automation_id=auto.id or 0, org_id=demo.org_id, triggered_by="manual", now=at
    )
    settings = settings or load_settings(smtp_host=None)
    Worker(engine, settings, registry=registry, llm=llm).tick(at)
    with Session(engine) as session:
        run = session.get(AutomationRun, run_id)
    assert run is not None
    return run


def last_mail(engine: Engine, part: str = "plain") -> str:
    """The last mail's subject line and its text (or `part`: "html") part, decoded."""
    with Session(engine) as session:
        mail = session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id).desc())).first()
    assert mail is not None
    parsed = email.message_from_string(mail.raw, policy=email.policy.default)
    body = parsed.get_body((part,))
    assert isinstance(parsed, EmailMessage) and isinstance(body, EmailMessage)
    return f"Subject: {parsed['Subject']}\n\n{body.get_content()}"


def test_tool_use_turns_then_end_turn_put_the_narrative_above_the_report_and_count_tokens(
    sqlite_engine: Engine,
) -> None:
    with fake_anthropic(
        tool_use("stage_counts", scope="organization"),
        tool_use("stale_candidates", days=5, scope="organization"),
        final(NARRATIVE),
    ) as peer:
        run = run_skill(sqlite_engine, runner(peer))
    assert run.status == "completed"
    assert len(peer.requests) == 3 and set(peer.api_keys) == {"sk-ant-test"}
    first = peer.requests[0]
    assert first["model"] == "claude-sonnet-4-5" and first["max_tokens"] == 1024
    [system] = first["system"]
    assert system["cache_control"] == {"type": "ephemeral"}
    assert "Summarise the requester's recruiting pipeline" in system["text"]  # SKILL.md body
    # the tool results went back to the model, as tool_result blocks for the right call
    [result] = peer.requests[1]["messages"][-1]["content"]
    assert result["type"] == "tool_result" and result["tool_use_id"] == "toolu_0001"
    assert set(json.loads(result["content"])) >= {"Applied", "Screen", "Interview", "Offer"}
    assert "@" not in peer.requests[2]["messages"][-1]["content"][0]["content"]  # no contacts
    # tokens, summed over the three turns, as numbers in the run's columns and metrics
    totals = {k: sum(u[k] for u in peer.usages) for k in peer.usages[0]}
    assert (run.llm_input_tokens, run.llm_output_tokens) == (
        totals["input_tokens"],
        totals["output_tokens"],
    )
    assert run.llm_cache_write_tokens == totals["cache_creation_input_tokens"] > 0
    assert run.llm_cache_read_tokens == totals["cache_read_input_tokens"] > 0
    assert run.metrics["llm"] == {
        "mode": "hybrid",
        "model": "claude-sonnet-4-5",
        "turns": 3,
        "input_tokens": totals["input_tokens"],
        "output_tokens": totals["output_tokens"],
        "cache_read_tokens": totals["cache_read_input_tokens"],
        "cache_write_tokens": totals["cache_creation_input_tokens"],
    }
    mail = last_mail(sqlite_engine)
    # subject from the deterministic output; the narrative, then the report's own sections
    assert mail.startswith("Subject: Team pipeline report — ")
    assert mail.index(NARRATIVE) < mail.index("Team pipeline report (week of Nov 23)")


@pytest.mark.parametrize(
    ("step", "fallback"),
    [
        (status(429, **{"retry-after": "30"}), "rate_limited"),
        (status(529), "overloaded"),
        (status(500), "api_error"),
        (HANG, "timeout"),
    ],
    ids=["429", "529", "500", "hang"],
)
def test_a_hybrid_skill_falls_back_to_its_deterministic_output_and_says_why(
    sqlite_engine: Engine,
    step: Any,
    fallback: str,
) -> None:
    with fake_anthropic(step) as peer:
        run = run_skill(sqlite_engine, runner(peer, timeout_seconds=0.5))
    assert len(peer.requests) == 1  # no retry inside the run: the client has max_retries=0
    assert run.status == "completed" and run.error_code is None
    assert run.metrics["llm"]["mode"] == "hybrid"
    assert run.metrics["llm"]["fallback"] == fallback
    assert run.llm_input_tokens == 0
    mail = last_mail(sqlite_engine)
    # the deterministic report alone: its heading comes straight after the subject
    assert mail.split("\n\n", 1)[1].startswith("Team pipeline report (week of Nov 23)")


def test_a_rate_limited_fallback_keeps_the_servers_retry_after(sqlite_engine: Engine) -> None:
    from skills.ats.demo import DemoAts
    from skills.base import OwnerInfo, SkillContext
    from skills.builtin import default_registry

    demo = seed_demo(sqlite_engine, now=NOW, candidates=10)
    ctx = SkillContext(
        org_id=demo.org_id,
        owner=OwnerInfo(demo.member_ids[0], "d@x.test", "Dana", "UTC"),
        params={},
        now=NOW,
        tz="UTC",
        triggered_by="manual",
        last_success_at=None,
        trigger_data={},
        ats=DemoAts(sqlite_engine, demo.org_id),
    )
    with fake_anthropic(status(429, **{"retry-after": "30"})) as peer:
        output = runner(peer).run(default_registry().get("pipeline-report"), ctx)
    assert output.llm["fallback"] == "rate_limited" and output.llm["retry_after"] == 30.0


LLM_ONLY = """---
name: candidate-digest
description: A free-form digest written by the LLM.
automationMode: llm
triggers: [cron]
defaultOutput: email
params: {}
---

# Candidate digest

Write a two-line digest of the pipeline. Use the tools.
"""


@pytest.fixture
def llm_only_registry(tmp_path: Path) -> SkillRegistry:
    (tmp_path / "candidate-digest").mkdir()
    (tmp_path / "candidate-digest" / "SKILL.md").write_text(LLM_ONLY, encoding="utf-8")
    registry = SkillRegistry(tmp_path, gatherers={}, python_skills=())
    assert registry.errors == []
    return registry


def test_an_llm_only_skill_sends_what_the_model_wrote(
    sqlite_engine: Engine,
    llm_only_registry: SkillRegistry,
) -> None:
    with fake_anthropic(tool_use("jobs"), final("Six jobs open; Interview is busiest.")) as peer:
        run = run_skill(sqlite_engine, runner(peer), "candidate-digest", llm_only_registry)
    assert run.status == "completed" and run.metrics["llm"]["mode"] == "llm"
    assert "Write a two-line digest" in peer.requests[0]["system"][0]["text"]
    assert "Six jobs open; Interview is busiest." in last_mail(sqlite_engine)
    assert "Subject: Candidate digest" in last_mail(sqlite_engine)


@pytest.mark.parametrize("skill", ["candidate-digest", "pipeline-report"])
def test_what_the_model_wrote_ends_with_the_services_footer_as_a_deterministic_report_does(
    sqlite_engine: Engine, llm_only_registry: SkillRegistry, skill: str
) -> None:
    """LLM and hybrid mail, text and HTML, ends with the footer the organisation's other mail
    has: here, the public address to pause or change it at (no Slack app is served)."""
    url = "https://hire.example.com"
    settings = load_settings(smtp_host=None, triggers=TriggerSettings(public_url=url))
    footer = service_footer(settings)
    assert url in footer and "Slack" not in footer
    registry = llm_only_registry if skill == "candidate-digest" else None
    with fake_anthropic(final("Six jobs open; Interview is busiest.")) as peer:
        run = run_skill(sqlite_engine, runner(peer), skill, registry, settings=settings)
    assert run.status == "completed" and "fallback" not in run.metrics["llm"]
    text, page = last_mail(sqlite_engine), html.unescape(last_mail(sqlite_engine, "html"))
    for shown in (text, page):
        assert "Six jobs open; Interview is busiest." in shown
        assert shown.count(footer) == 1 and "Slack" not in shown
    assert text.rstrip().endswith(footer)
    assert page.index("Six jobs open") < page.index(footer)


@pytest.mark.parametrize(
    ("step", "retried", "words"),
    [
        (status(529), True, "the Anthropic API is overloaded (529)"),
        (status(401), False, "the Anthropic API answered 401 (authentication_error)"),
    ],
    ids=["529", "401"],
)
def test_an_llm_only_skill_fails_the_run_with_a_clear_error_when_the_api_fails(
    sqlite_engine: Engine,
    llm_only_registry: SkillRegistry,
    step: Any,
    retried: bool,
    words: str,
) -> None:
    with fake_anthropic(step) as peer:
        run = run_skill(sqlite_engine, runner(peer), "candidate-digest", llm_only_registry)
    assert run.status == "failed" and run.error_code == "llm_unavailable"
    assert run.error_message == f"Skill candidate-digest needs the LLM, which failed: {words}"
    with Session(sqlite_engine) as session:
        attempts = session.scalars(
            select(col(AutomationRun.attempt)).where(
                col(AutomationRun.automation_id) == run.automation_id
            )
        ).all()
    assert (max(attempts) == 2) is retried  # transient: a second attempt is queued


def test_without_an_api_key_an_llm_only_skill_fails_and_says_it_needs_the_llm(
    sqlite_engine: Engine,
    llm_only_registry: SkillRegistry,
) -> None:
    run = run_skill(sqlite_engine, None, "candidate-digest", llm_only_registry)
    assert run.status == "failed" and "cannot run without an LLM" in (run.error_message or "")


def test_the_loop_stops_at_max_turns_by_forbidding_tools_on_the_last_turn(
    sqlite_engine: Engine,
) -> None:
    endless = [tool_use("jobs") for _ in range(10)]
    with fake_anthropic(*endless) as peer:
        run = run_skill(sqlite_engine, runner(peer, max_turns=3))
    assert len(peer.requests) == 3
    assert "tool_choice" not in peer.requests[1]
    assert peer.requests[2]["tool_choice"] == {"type": "none"}
    assert run.metrics["llm"]["turns"] == 3 and "fallback" not in run.metrics["llm"]


def test_the_model_gets_only_read_only_ats_tools_and_unknown_tools_are_refused(
    sqlite_engine: Engine,
) -> None:
    with fake_anthropic(
        tool_use("delete_automation", automation_id=1),
        tool_use("candidate", candidate_id=999999),
        final(NARRATIVE),
    ) as peer:
        run = run_skill(sqlite_engine, runner(peer))
    offered = {t["name"] for t in peer.requests[0]["tools"]}
    assert (
        offered
        == TOOL_NAMES
        == {
            "stage_counts",
            "stage_moves",
            "stale_candidates",
            "candidate",
            "interview",
            "candidate_interviews",
            "upcoming_interviews",
            "candidate_offers",
            "jobs",
        }
    )
    [refused] = peer.requests[1]["messages"][-1]["content"]
    assert refused["is_error"] and "Unknown tool 'delete_automation'" in refused["content"]
    [missing] = peer.requests[2]["messages"][-1]["content"]
    assert missing["is_error"] and "999999" in missing["content"]
    assert run.status == "completed"
    with Session(sqlite_engine) as session:
        assert session.get(Automation, 1) is not None


def test_a_second_run_reads_the_cached_system_prompt(sqlite_engine: Engine) -> None:
    with fake_anthropic() as peer:
        llm = runner(peer)
        first = run_skill(sqlite_engine, llm)
        second = run_skill(sqlite_engine, llm, at=NOW + timedelta(minutes=5))
    assert first.llm_cache_write_tokens > 0 and first.llm_cache_read_tokens == 0
    assert second.llm_cache_read_tokens == first.llm_cache_write_tokens
    assert second.llm_input_tokens < first.llm_input_tokens + first.llm_cache_write_tokens
