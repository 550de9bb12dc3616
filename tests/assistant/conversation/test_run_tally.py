"""Questions counting runs over a period ("how many runs failed last week?", "how many times
did #1 run this month?", "has anything failed in the last 30 days?"): question templates x
subjects x periods, each answer checked against counts made from the fixture's own run rows,
on both databases, for a member (their own automations) and an admin (the organisation's)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.tables.runs import AutomationRun
from tests.assistant.conversation.test_questions import Chat

# NOW is Monday 2 March 2026, 16:00 UTC; the speaker's zone is UTC
MIDNIGHT = NOW.replace(hour=0)
PERIODS: dict[str, datetime | None] = {
    "": None,
    "today": MIDNIGHT,
    "yesterday": MIDNIGHT - timedelta(days=1),
    "this week": MIDNIGHT,  # since Monday
    "this month": MIDNIGHT - timedelta(days=1),  # since 1 March
    "last week": MIDNIGHT - timedelta(days=7),  # Monday to Sunday before this week
    "in the last 30 days": NOW - timedelta(days=30),
    "over the past 2 weeks": NOW - timedelta(days=14),
    "in the last 24 hours": NOW - timedelta(hours=24),
}
# a whole day or week that has ended; every other period ends now
ENDS = {"yesterday": MIDNIGHT, "last week": MIDNIGHT}
ALL = {
    True: ["how many runs failed {p}?", "how many of my runs have failed {p}?",
           "how many failed runs were there {p}?"],
    False: ["how many runs were there {p}?", "how many runs did I have {p}?"],
}  # fmt: skip
ONE = {
    True: ["how many times did {a} fail {p}?", "how many failed runs did {a} have {p}?"],
    False: ["how many times did {a} run {p}?", "how many runs did {a} have {p}?",
            "how many times has {a} run {p}?"],
}  # fmt: skip
DID = ["has anything failed {p}?", "did anything fail {p}?"]
DID_PERIODS = ["last week", "this month", "in the last 30 days", "over the past 2 weeks"]
# (days ago, hour, status, triggered by) for each automation, rotated so each differs
PLAN = [
    (0, 9, "completed", "schedule"),
    (0, 11, "failed", "schedule"),
    (0, 12, "failed", "test"),
    (1, 9, "partial", "manual"),
    (1, 23, "skipped", "schedule"),
    (2, 9, "failed", "schedule"),
    (5, 9, "completed", "schedule"),
    (9, 9, "failed", "schedule"),
    (13, 15, "completed", "event"),
    (20, 9, "failed", "schedule"),
    (40, 9, "completed", "schedule"),
]


def _runs(
    engine: Engine, org_id: int, automation_ids: list[int]
) -> list[tuple[int, str, str, datetime]]:
    made: list[tuple[int, str, str, datetime]] = []
    with Session(engine) as s:
        for turn, automation_id in enumerate(automation_ids):
            for days, hour, status, by in PLAN[turn:] + PLAN[: turn * 2]:
                when = NOW.replace(hour=hour) - timedelta(days=days)
                if when >= NOW:
                    continue
                s.add(
                    AutomationRun(
                        org_id=org_id,
                        automation_id=automation_id,
                        triggered_by=by,
                        scheduled_for=when,
                        not_before=when,
                        status=status,
                        attempt=1 + sum(1 for m in made if m[0] == automation_id and m[3] == when),
                        created_at=when,
                    )
                )
                made.append((automation_id, status, by, when))
        s.commit()
    return made


def _expected(
    made: list[tuple[int, str, str, datetime]],
    ids: set[int],
    start: datetime | None,
    failed: bool,
    end: datetime = NOW,
) -> int:
    wanted = ("failed", "partial") if failed else ("completed", "partial", "failed")
    return sum(
        1
        for automation_id, status, by, when in made
        if automation_id in ids
        and by != "test"
        and status in wanted
        and (start is None or start <= when < end)
    )


@pytest.mark.parametrize("role", ["member", "admin"])
def test_run_counts_over_periods_match_the_run_rows(engine: Engine, role: str) -> None:
    org = make_org(engine, NOW - timedelta(days=60), slug="acme")
    digest = make_automation(engine, org, NOW, name="Digest").id or 0
    recap = make_automation(engine, org, NOW, name="Recap").id or 0
    admins = make_automation(engine, org, NOW, name="Admin's", owner_id=org.admin_id).id or 0
    made = _runs(engine, org.org_id, [digest, recap, admins])
    chat = Chat(engine, org, org.admin_id if role == "admin" else org.member_id)
    everyone = {digest, recap, admins} if role == "admin" else {digest, recap}
    checked = 0
    for period, start in PERIODS.items():
        for failed, templates in ALL.items():
            count = _expected(made, everyone, start, failed, ENDS.get(period, NOW))
            for template in templates:
                asked = template.format(p=period).replace(" ?", "?")
                reply = chat.say(asked)
                key = "failed" if failed else "ran"
                assert reply.kind == "info" and reply.data[key] == count, (asked, reply.text)
                assert (str(count) in reply.text) or (
                    count == 0 and "no runs" in reply.text.lower()
                ), reply.text
                checked += 1
        for subject, automation_id in ((f"#{digest}", digest), ("the recap", recap)):
            for failed, templates in ONE.items():
                count = _expected(made, {automation_id}, start, failed, ENDS.get(period, NOW))
                for template in templates:
                    asked = template.format(a=subject, p=period).replace(" ?", "?")
                    reply = chat.say(asked)
                    key = "failed" if failed else "ran"
                    assert reply.automation_id == automation_id, (asked, reply.text)
                    assert reply.data[key] == count, (asked, reply.text)
                    assert f" {count} time" in reply.text, (asked, reply.text)
                    checked += 1
    for period in DID_PERIODS:
        count = _expected(made, everyone, PERIODS[period], True, ENDS.get(period, NOW))
        assert count > 0
        for template in DID:
            reply = chat.say(template.format(p=period))
            assert reply.text.startswith("Yes: ") and reply.data["failed"] == count, reply.text
    assert checked == len(PERIODS) * (5 + 2 * 5)


def test_a_member_cannot_count_anothers_runs_and_periods_ahead_are_refused(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    admins = make_automation(engine, org, NOW, name="Admin's", owner_id=org.admin_id).id
    chat = Chat(engine, org, org.member_id)
    refused = chat.say(f"how many times did #{admins} run last week?")
    assert refused.kind == "error" and "data" not in refused.text
    ahead = chat.say("how many runs failed tomorrow?")
    assert ahead.text.startswith("“tomorrow” is still to come")
    quiet = chat.say("did anything fail in the last 30 days?")
    assert quiet.text == "No: no runs of your automations failed in the last 30 days."
