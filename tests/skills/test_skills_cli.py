"""`skilltick holidays|sequences|inbox` as an operator uses them: listings with --json, changes
that show up in the next listing, and bad input answered with one clear line, exit code 1 and
nothing changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.cli.root import app
from tests.cli_calls import ok, ok_json, refused, runner
from tests.demo_home import seed_home, use_home

ADMIN = "alex.admin@demo.skilltick.local"
DANA = "dana.recruiter@demo.skilltick.local"
WELCOME = "New applicant welcome"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def seed() -> None:
        result = runner.invoke(app, ["demo", "seed", "--candidates", "12"])
        assert result.exit_code == 0, result.output

    return seed_home(tmp_path_factory.mktemp("seeded"), seed)


@pytest.fixture
def home(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_home(seeded, tmp_path, monkeypatch)


def test_admins_edit_the_holiday_calendar_and_members_only_read_it(home: Path) -> None:
    before = ok_json("holidays", "list")
    assert before and all(set(h) == {"day", "name"} for h in before)
    added = ok_json("holidays", "add", "2031-07-14", "--name", "Team day")
    assert added == {"day": "2031-07-14", "name": "Team day"}
    assert {"day": "2031-07-14", "name": "Team day"} in ok_json("holidays", "list", "--user", DANA)
    assert "already a holiday" in refused("holidays", "add", "2031-07-14")
    assert "Only admins" in refused("holidays", "add", "2031-07-15", "--user", DANA)
    assert "Only admins" in refused("holidays", "remove", "2031-07-14", "--user", DANA)
    assert "not a date" in refused("holidays", "add", "14/07/2031")
    assert "Removed 2031-07-14" in ok("holidays", "remove", "2031-07-14")
    assert "is not a holiday" in refused("holidays", "remove", "2031-07-14")
    assert ok_json("holidays", "list") == before
    assert "Team day" not in ok("holidays", "list")


def test_sequences_list_enrol_remove_and_analytics(home: Path) -> None:
    [welcome] = ok_json("sequences", "list")
    assert welcome["name"] == WELCOME and welcome["automatic"] and welcome["steps"] >= 2
    candidate = next(
        c
        for c in range(1, 50)
        if runner.invoke(app, ["sequences", "enrol", WELCOME, str(c), "--json"]).exit_code == 0
    )
    assert "already enrolled" in refused("sequences", "enrol", str(welcome["id"]), str(candidate))
    after = ok_json("sequences", "list")[0]
    assert after["active"] == welcome["active"] + 1
    assert f"Removed candidate {candidate}" in ok("sequences", "remove", WELCOME, str(candidate))
    stats = ok_json("sequences", "analytics", WELCOME)
    assert stats[0]["stopped_by_reason"].get("removed") == 1
    assert stats[0]["enrolled"] >= 1 and stats[0]["steps"][0]["position"] == 1
    assert "1 stopped (removed 1)" in " ".join(ok("sequences", "analytics").split())
    assert "No sequence 'Nope'" in refused("sequences", "enrol", "Nope", "1")
    assert "No candidate 99999" in refused("sequences", "enrol", WELCOME, "99999")
    assert "is not enrolled" in refused("sequences", "remove", WELCOME, str(candidate))
    assert ok_json("sequences", "list")[0]["active"] == welcome["active"]


def test_inbox_lists_and_shows_in_app_messages_to_their_recipient_only(home: Path) -> None:
    from assistant.app import build_context
    from models.store.inbox import add_inbox_message

    engine = build_context().engine
    message_id = add_inbox_message(
        engine,
        org_id=1,
        user_email=DANA,
        message_key="<m1@skilltick.local>",
        subject="Weekly pipeline",
        text="Applied: 4\nScreen: 2",
        html=None,
        now=datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
    )
    assert "Your inbox is empty" in ok("inbox", "list")  # the admin's own inbox
    [item] = ok_json("inbox", "list", "--user", DANA, "--unread")
    assert (item["id"], item["subject"], item["read"]) == (message_id, "Weekly pipeline", False)
    assert item["created_at"].startswith("2026-11-23T14:00")
    shown = ok("inbox", "show", str(message_id), "--user", DANA)
    assert shown.startswith("Subject: Weekly pipeline") and "Screen: 2" in shown
    assert ok_json("inbox", "list", "--user", DANA, "--unread") == []
    assert ok_json("inbox", "list", "--user", DANA)[0]["read"] is True
    assert f"No message {message_id}" in refused("inbox", "show", str(message_id))
    assert "limit must be between" in refused("inbox", "list", "--limit", "0")
