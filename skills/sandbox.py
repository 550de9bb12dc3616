"""Owner-written templates (workflow and sequence emails, task titles) rendered under a budget.

Jinja's sandbox keeps a template away from Python internals but not from the CPU or memory: two
nested loops can run for hours and one expression can build a 20 MB string. So templates render
in renderer processes (skills/sandbox_child.py) that cap their own memory and stop at an output
size, and the caller gives each render a hard time limit: a render that runs out of time has
its process killed and replaced. A run also has a total template budget (`template_budget`), so
a sequence with a hundred slow steps cannot hold a worker thread for minutes.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from models.errors import SkillError

TEMPLATE_SECONDS = 2.0
MAX_OUTPUT_KB = 256
RUN_TEMPLATE_SECONDS = 10.0
RENDERER_MEMORY_BYTES = 512 * 1024 * 1024
MAX_RENDERERS = 8

_CHILD = Path(__file__).with_name("sandbox_child.py")
_STARTUP_SECONDS = 60.0  # a loaded machine can take seconds to start Python
_HEADER = struct.Struct(">I")
_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "template_deadline", default=None
)


class template_budget:  # lower case: callers use it like a function
    """All renders inside share `seconds` of template time (one run, one preview); inside an
    outer budget the earlier deadline wins."""

    # a plain class rather than a generator context manager: every run enters one
    __slots__ = ("_seconds", "_token")
    _token: contextvars.Token[tuple[float, float] | None]

    def __init__(self, seconds: float = RUN_TEMPLATE_SECONDS) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        outer = _deadline.get()
        mine = (time.monotonic() + self._seconds, self._seconds)
        self._token = _deadline.set(outer if outer is not None and outer[0] <= mine[0] else mine)

    def __exit__(self, *exc: object) -> None:
        _deadline.reset(self._token)


class _Renderer:
    """One renderer process and its pipes."""

    def __init__(self, memory_bytes: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-P", str(_CHILD), str(memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        if self._read(1, time.monotonic() + _STARTUP_SECONDS) != b"R":
            self.close()
            raise EOFError("the renderer did not start")

    def ask(self, request: bytes, timeout: float) -> dict[str, Any] | None:
        """The reply, or None when it did not come within `timeout` seconds."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(_HEADER.pack(len(request)) + request)
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        header = self._read(_HEADER.size, deadline)
        if header is None:
            return None
        body = self._read(_HEADER.unpack(header)[0], deadline)
        return None if body is None else json.loads(body)

    def _read(self, size: int, deadline: float) -> bytes | None:
        assert self.proc.stdout is not None
        fd, data = self.proc.stdout.fileno(), b""
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, size - len(data))
            if not chunk:
                raise EOFError("the renderer stopped")
            data += chunk
        return data

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()


class TemplateSandbox:
    """Renders template text with a time limit, an output limit and a memory cap."""

    def __init__(
        self,
        *,
        seconds: float = TEMPLATE_SECONDS,
        max_output_kb: int = MAX_OUTPUT_KB,
        memory_bytes: int = RENDERER_MEMORY_BYTES,
        max_renderers: int = MAX_RENDERERS,
    ) -> None:
        self.seconds, self.max_output_kb, self.memory_bytes = seconds, max_output_kb, memory_bytes
        self._slots = threading.BoundedSemaphore(max_renderers)
        self._idle: list[_Renderer] = []
        self._lock = threading.Lock()

    def render(self, source: str, context: dict[str, Any], where: str) -> str:
        """The rendered text; SkillError names `where` and the limit it broke."""
        timeout, budget = self.seconds, _deadline.get()
        if budget is not None:
            timeout = min(timeout, budget[0] - time.monotonic())
            if timeout <= 0:
                raise SkillError(
                    f"Template of {where} not rendered: this run's templates already took "
                    f"{budget[1]:g} s"
                )
        started = time.monotonic()
        if not self._slots.acquire(timeout=timeout):
            raise SkillError(f"Template of {where} not rendered: every renderer stayed busy")
        try:
            request = json.dumps(
                {
                    "template": source,
                    "context": context,
                    "max_chars": self.max_output_kb * 1024,
                },
                default=str,
            ).encode()
            reply = self._ask(request, timeout - (time.monotonic() - started), where)
        finally:
            self._slots.release()
        error = reply.get("error")
        if error is None:
            return str(reply["text"])
        problem = {
            "output": f"output larger than {self.max_output_kb} KB",
            "memory": "it needed more memory than a template may use",
        }.get(error, reply.get("message") or "it could not be rendered")
        raise SkillError(f"Template of {where} failed: {problem}")

    def _ask(self, request: bytes, timeout: float, where: str) -> dict[str, Any]:
        with self._lock:
            renderer = self._idle.pop() if self._idle else None
        try:
            renderer = renderer or _Renderer(self.memory_bytes)
            reply = renderer.ask(request, max(timeout, 0.0))
        except (OSError, EOFError, ValueError) as exc:
            if renderer is not None:
                renderer.close()
            raise SkillError(f"Template of {where} failed: the renderer stopped") from exc
        if reply is None:
            renderer.close()  # the only way to stop a render mid-loop
            raise SkillError(f"Template of {where} took longer than {self.seconds:g} s")
        with self._lock:
            self._idle.append(renderer)
        return reply

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for renderer in idle:
            renderer.close()


_default: TemplateSandbox | None = None
_default_lock = threading.Lock()


def default_sandbox() -> TemplateSandbox:
    """The process's sandbox; its renderer processes start on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = TemplateSandbox()
            atexit.register(_default.close)
        return _default
