"""`skilltick understand`: the stable JSON shape, --batch one object a line in order, and a
clear error for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli.root import app

KEYS = [
    "status",
    "question",
    "trigger",
    "schedule",
    "event",
    "skill",
    "params",
    "output",
    "next_runs",
    "can_activate",
    "summary",
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_understand_prints_the_draft_in_the_stable_json_shape() -> None:
    code, out = run(
        "understand",
        "Every Monday at 9am, send me a summary of my pipeline",
        "--tz",
        "America/Los_Angeles",
        "--now",
        "2026-03-02T16:00Z",
        "--json",
    )
    shown = json.loads(out)
    assert code == 0 and list(shown) == KEYS
    assert shown["trigger"] == {"type": "cron"} and shown["event"] is None
    assert shown["schedule"] == {
        "cron": "0 9 * * 1",
        "rrule": None,
        "once": None,
        "tz": "America/Los_Angeles",
    }
    # today 09:00 PST, then after clocks go forward on 8 March, 09:00 PDT
    assert shown["next_runs"] == [
        "2026-03-02T09:00:00-08:00",
        "2026-03-09T09:00:00-07:00",
        "2026-03-16T09:00:00-07:00",
    ]
    assert "clocks in America/Los_Angeles go forward" in shown["summary"]
    assert shown["output"] == {"channel": "email", "to": ["me"]}


def test_batch_prints_one_object_per_request_in_order(tmp_path: Path) -> None:
    requests = tmp_path / "requests.txt"
    requests.write_text(
        "When an offer is accepted, tell me\nasdf qwerty\n"
        "every weekday at 17:30 email me my pipeline\n"
    )
    code, out = run("understand", "--batch", str(requests), "--now", "2026-03-02T16:00Z")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [list(x) for x in lines] == [KEYS] * 3
    assert [x["status"] for x in lines] == ["ok", "question", "ok"]
    assert lines[0]["event"] == {"type": "offer.accepted", "filter": {}}
    assert lines[2]["schedule"]["cron"] == "30 17 * * 1-5"


def test_a_bad_now_is_named_and_nothing_is_printed_to_stdout() -> None:
    result = CliRunner().invoke(
        app, ["understand", "daily at 9am send me my pipeline", "--now", "yesterday-ish", "--json"]
    )
    assert result.exit_code == 1 and "--now" in result.output


def test_a_polling_interval_reads_back_in_its_largest_whole_unit() -> None:
    request = "every {} check for new applicants for the Backend Engineer job"
    for said, minutes, words in [
        ("2 hours", 120, "Checks every 2 hours"),
        ("90 minutes", 90, "Checks every 90 minutes"),
        ("24 hours", 1440, "Checks every day"),
        ("hour", 60, "Checks every hour"),
        ("15 minutes", 15, "Checks every 15 minutes"),
    ]:
        code, out = run("understand", request.format(said), "--now", "2026-03-02T16:00Z")
        (trigger,) = [line for line in out.splitlines() if line.startswith("- Trigger:")]
        assert code == 0 and trigger == f"- Trigger: {words} (UTC)", (said, out)
        code, out = run("understand", request.format(said), "--json")
        assert json.loads(out)["trigger"] == {"type": "poll", "interval_minutes": minutes}
