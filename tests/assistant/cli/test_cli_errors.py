"""The command line as scripts and pipes see it: every refusal is one line on stderr with exit
code 1 and no traceback (out-of-range ids, negative cursors and limits, an empty --tz, unknown
commands, unexpected failures), and nothing is wrapped at 80 columns when stdout is no
terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.cli.root import main
from tests.demo_home import seed_home, use_home

HUGE = "1" + "0" * 24  # a 25-digit id
DANA = "dana.recruiter@demo.skilltick.local"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def seed() -> None:
        assert run("demo", "seed", "--candidates", "5")[0] == 0

    return seed_home(tmp_path_factory.mktemp("seeded"), seed)


@pytest.fixture
def home(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "40")  # a narrow terminal setting must not wrap piped output
    return use_home(seeded, tmp_path, monkeypatch)


def run(*args: str) -> tuple[int, str, str]:
    """`skilltick ARGS` as the console script runs it; (exit code, stdout, stderr)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def refused_in_one_line(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 1, (args, out, err)
    assert "Traceback" not in out + err, args
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), (args, err)
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("automations", "show", HUGE),
        ("automations", "delete", HUGE, "--yes"),
        ("automations", "run", HUGE),
        ("automations", "pause", HUGE),
        ("runs", "show", HUGE),
        ("runs", "list", "--cursor", HUGE),
        ("runs", "list", "--automation", HUGE),
        ("tokens", "revoke", HUGE),
        ("demo", "move", HUGE, "Interview"),
        ("outbox", "show", HUGE),
        ("inbox", "show", HUGE),
        ("events", "list", "--cursor", HUGE),
    ],
)
def test_a_25_digit_id_is_refused_in_one_line(home: Path, args: tuple[str, ...]) -> None:
    line = refused_in_one_line(*args)
    assert f"#{HUGE}" in line or "at most 2147483647" in line


@pytest.mark.parametrize(
    "args",
    [
        ("runs", "list", "--cursor", "-5"),
        ("runs", "list", "--limit", "-1"),
        ("runs", "list", "--limit", "0"),
        ("events", "list", "--limit", "-1"),
        ("outbox", "list", "--limit", "-1"),
        ("inbox", "list", "--limit", "-1"),
    ],
)
def test_negative_cursors_and_limits_are_refused(home: Path, args: tuple[str, ...]) -> None:
    line = refused_in_one_line(*args)
    assert "limit must be between 1 and" in line or "cursor must be a positive id" in line


def test_an_empty_tz_is_refused_and_creates_nothing(home: Path) -> None:
    listing = ("automations", "list", "--all", "--json")
    before = json.loads(run(*listing)[1])
    create = ("automations", "create", "--user", DANA, "--name", "Daily", "--skill")
    line = refused_in_one_line(*create, "pipeline-report", "--cron", "0 9 * * *", "--tz", "")
    assert "time zone is empty" in line
    assert json.loads(run(*listing)[1]) == before


def test_usage_errors_are_one_line_naming_where_to_look(home: Path) -> None:
    assert "No such command 'nosuch'" in refused_in_one_line("automations", "nosuch")
    line = refused_in_one_line("automations", "show", "abc")
    assert "automation_id" in line and "skilltick automations show --help" in line


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("automations", "show", "abc"), "'automation_id': a whole number is needed"),
        (("runs", "list", "--limit", "ten"), "'--limit': a whole number is needed"),
        (("demo", "seed", "--candidates", "0"), "'--candidates': it must be at least 1"),
        (("serve", "--port", "70000"), "'--port': it must be at most 65535"),
    ],
)
def test_a_bad_number_is_said_in_plain_words(home: Path, args: tuple[str, ...], said: str) -> None:
    line = refused_in_one_line(*args)
    assert said in line and "Input should be" not in line, line


def test_a_long_error_message_is_not_wrapped_at_the_terminal_width(home: Path) -> None:
    name = "x" * 300
    create = ("automations", "create", "--user", DANA, "--skill", "pipeline-report")
    line = refused_in_one_line(*create, "--name", name, "--cron", "0 9 * * *")
    assert "300 characters long; the limit is 200" in line and len(line) > 40


def test_tables_are_not_wrapped_when_piped(home: Path) -> None:
    code, out, _ = run("automations", "list", "--all")
    assert code == 0
    emails = re.findall(r"[\w.]+@demo\.skilltick\.local", out)
    assert DANA in emails, out  # whole, not split over lines


def test_an_unexpected_failure_is_one_line_and_debug_shows_the_traceback(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.tools.toolset import Toolset

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk I/O error\nsecond line")

    monkeypatch.setattr(Toolset, "list_automations", broken)
    line = refused_in_one_line("automations", "list")
    assert "OSError: disk I/O error second line" in line and "--debug" in line
    with pytest.raises(OSError):
        main(["automations", "list", "--debug"])


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("SKILLTICK_SMTP_PORT", "abc", "error: SKILLTICK_SMTP_PORT: a whole number is needed"),
        ("SKILLTICK_SMTP__PORT", "abc", "error: SKILLTICK_SMTP__PORT: a whole number is needed"),
        (
            "SKILLTICK_PLANS",
            '{"free": {"max_active_automations" 5}}',
            "error: SKILLTICK_PLANS is not valid JSON: Expecting ':' delimiter at column 36.",
        ),
        (
            "SKILLTICK_PLANS",
            '{\n  "free": {\n    "max_active_automations" 5\n  }\n}',
            "error: SKILLTICK_PLANS is not valid JSON: Expecting ':' delimiter at line 3, column 30.",
        ),
    ],
)
def test_a_bad_setting_is_named_by_the_variable_it_came_from(
    home: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert refused_in_one_line("status") == said
