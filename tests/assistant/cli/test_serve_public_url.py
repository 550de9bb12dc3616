"""`skilltick serve --port N` without SKILLTICK_PUBLIC_URL: the links the service makes name the
port it answers at. Before, an invitation made through the service on another port than 8080
linked to http://127.0.0.1:8080/invite/..., where nothing answered. A port already taken is one
clear line and exit code 1. A request naming another host (DNS rebinding) is refused."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.assistant.serve_process import serve_demo

ADMIN_LINK = re.compile(r"Log in as alex\.admin@\S+: (http://127\.0\.0\.1:\d+)/login\?token=(\S+)")


def _admin_link(output: Callable[[], str], process: subprocess.Popen[str]) -> re.Match[str]:
    """The admin's login link, printed right after the member's (which serve_demo waited for)."""
    for _ in range(600):
        found = ADMIN_LINK.search(output())
        if found:
            return found
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(0.05)
    raise AssertionError(output())


def test_an_invitation_made_through_the_service_links_to_the_port_it_serves_on(
    tmp_path: Path,
) -> None:
    with serve_demo(tmp_path, unset=("SKILLTICK_PUBLIC_URL",)) as served:
        found = _admin_link(served.output, served.process)
        base, admin_token = found.group(1), found.group(2)
        assert base == served.base and not base.endswith(":8080")
        headers = {"Authorization": f"Bearer {admin_token}"}
        issued = httpx.post(
            f"{base}/api/admin/invitations",
            json={"email": "nia@demo.skilltick.local", "name": "Nia"},
            headers=headers,
            timeout=60,
        )
        assert issued.status_code == 201, issued.text
        link = issued.json()["link"]
        assert link.startswith(f"{base}/invite/"), link
        page = httpx.get(link, timeout=60)
        assert page.status_code == 200 and "Join" in page.text
        # a page rebinding its own name to 127.0.0.1 is refused (the demo's /status needs no
        # token); the service's own names are answered
        port = base.rsplit(":", 1)[1]
        rebound = httpx.get(f"{base}/status", headers={"Host": f"rebind.test:{port}"}, timeout=60)
        assert rebound.status_code == 400 and "is not this service's" in rebound.text
        local = httpx.get(f"{base}/status", headers={"Host": f"localhost:{port}"}, timeout=60)
        assert local.status_code in (200, 503), local.text


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "300"},
        )
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"Cannot listen on 127.0.0.1:{port}" in lines[0], done.stderr
