"""Help as programs read it: with stdout a pipe, every group's and command's help is plain text
whose summaries and option descriptions are each one whole line (no panels, nothing wrapped at
80 columns); on a terminal help keeps its Rich panels."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.cli.root import full_command

BOX_DRAWING = {chr(c) for c in range(0x2500, 0x2580)}
MARKER = "=== help of:"
# one process shows every help screen through the console script's entry point, each into the
# same pipe, after a line naming which command follows and how it exited
WALK_HELP = f"""
import json, sys
from assistant.cli.root import main
for path in json.loads(sys.argv[1]):
    code = 0
    print({MARKER!r}, json.dumps(path), flush=True)
    try:
        main([*path, "--help"])
    except SystemExit as exit_:
        code = exit_.code
    sys.stdout.flush()
    print({MARKER!r}, "exit", code, flush=True)
"""


def one_line(text: str) -> str:
    return " ".join(text.split())


def commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "40"}
    for variable in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERMINAL_WIDTH"):
        env.pop(variable, None)
    return env


@pytest.fixture(scope="module")
def piped_help(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], str]:
    """Each command path's --help as printed into a pipe (COLUMNS asks for a narrow screen)."""
    paths = [list(path) for path, _ in commands(full_command())]
    done = subprocess.run(
        [sys.executable, "-c", WALK_HELP, json.dumps(paths)],
        capture_output=True,  # stdout is a pipe, as in `skilltick ... --help | cat`
        text=True,
        env=clean_env(tmp_path_factory.mktemp("home")),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    shown: dict[tuple[str, ...], str] = {}
    path: tuple[str, ...] = ()
    lines: list[str] = []
    for line in done.stdout.splitlines():
        if line.startswith(f"{MARKER} exit "):
            assert line == f"{MARKER} exit 0", (path, "\n".join(lines))
            shown[path] = "\n".join(lines)
        elif line.startswith(MARKER):
            path, lines = tuple(json.loads(line.removeprefix(MARKER))), []
        else:
            lines.append(line)
    assert len(shown) == len(paths) > 40  # every group and command, the root included
    return shown


def test_piped_help_has_no_panels_or_box_drawing(piped_help: dict[tuple[str, ...], str]) -> None:
    for path, text in piped_help.items():
        assert text.startswith(f"Usage: skilltick {' '.join(path)}".rstrip()), (path, text)
        assert not BOX_DRAWING & set(text), path


def test_each_listing_shows_every_summary_whole_on_one_line(
    piped_help: dict[tuple[str, ...], str],
) -> None:
    for path, command in commands(full_command()):
        subcommands = getattr(command, "commands", {})
        listing = piped_help[path].splitlines()
        for name, sub in subcommands.items():
            summary = one_line(sub.help or "")
            rows = [row for row in listing if row.split()[:1] == [name]]
            assert len(rows) == 1 and rows[0].endswith(f" {summary}"), (path, name, rows)


def test_each_help_says_its_text_and_every_option_on_whole_lines(
    piped_help: dict[tuple[str, ...], str],
) -> None:
    for path, command in commands(full_command()):
        lines = [line.strip() for line in piped_help[path].splitlines()]
        assert one_line(command.help or "") in lines, path
        for param in command.params:
            described = one_line(getattr(param, "help", None) or "")
            if described:
                rows = [line for line in lines if described in line]
                assert rows, (path, param.name, described)


def test_a_terminal_still_gets_help_in_panels(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = clean_env(tmp_path)
    env.pop("COLUMNS")
    with subprocess.Popen(
        [sys.executable, "-m", "assistant", "automations", "--help"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    ) as shown:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the command exits
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert shown.wait(timeout=120) == 0
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode())  # colours and bold
    assert "╭─ Commands" in text
    widest = max(len(line) for line in text.splitlines())
    assert widest <= 100  # fitted to the terminal's 100 columns
