"""A real `skilltick serve --demo` subprocess on a port of its own choosing, as a user starts
it: its output is collected as it comes, and the login link it prints gives the base URL and a
working API token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.cli_in_process import copy_migrated_database

LOGIN_LINK = re.compile(r"(http://127\.0\.0\.1:\d+)/login\?token=(\S+)")


class Served:
    """The running process, every line it has printed so far, and its login link's parts."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self.base = ""
        self.token = ""
        self._linked = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            link = LOGIN_LINK.search(line)
            if link and not self._linked.is_set():
                self.base, self.token = link.group(1), link.group(2)
                self._linked.set()

    @property
    def login_link(self) -> str:
        return f"{self.base}/login?token={self.token}"

    def output(self) -> str:
        return "".join(list(self.lines))

    def said(self, text: str) -> bool:
        return any(text in line for line in list(self.lines))

    def wait_for_link(self, seconds: float) -> None:
        assert self._linked.wait(seconds), f"no login link within {seconds} s:\n{self.output()}"

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; everything it prints until exit is kept."""
        self.process.terminate()
        self.process.wait(timeout=60)
        self._reader.join(timeout=60)


@contextmanager
def serve_demo(
    home: Path,
    *options: str,
    prefix: tuple[str, ...] = (),
    columns: int = 300,
    unset: tuple[str, ...] = (),
) -> Iterator[Served]:
    """`skilltick serve --demo --port 0 OPTIONS` with SKILLTICK_HOME=home (its store is the
    home's SQLite file, a copy of a migrated one unless `prefix` is given), started through
    `prefix` (e.g. a command that drops privileges), with the environment variables `unset`
    removed; stopped on leaving."""
    env = {
        **os.environ,
        "SKILLTICK_HOME": str(home),
        "COLUMNS": str(columns),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("SKILLTICK_DATABASE_URL", *unset):
        env.pop(name, None)
    if not prefix:  # a command run as another user makes its own database in the home
        copy_migrated_database(home)
    process = subprocess.Popen(
        [*prefix, sys.executable, "-m", "assistant", "serve", "--demo", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    served = Served(process)
    try:
        served.wait_for_link(240)  # a loaded machine starts slowly; pytest stops at 300 s
        yield served
    finally:
        served.stop()
