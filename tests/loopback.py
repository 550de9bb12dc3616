"""An ASGI app served for real in a test: uvicorn on 127.0.0.1 (port 0: a free one) in a
thread of the test process, stopped when the test is done with it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

STARTS_WITHIN_S = 30.0  # a loaded CI machine; a start takes a fraction of a second otherwise


@contextmanager
def serving(app: Any, *, port: int = 0, lifespan: bool = False) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL. `lifespan`: run the app's startup
    and shutdown (the MCP session manager needs them)."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on" if lifespan else "off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTS_WITHIN_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            thread.join(0.01)
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
