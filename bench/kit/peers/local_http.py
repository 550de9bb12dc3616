"""A tiny threaded HTTP server on 127.0.0.1 (port 0) for the skills tests' fake peers: Slack's
Web API, the Anthropic Messages API and webhook receivers. Each peer is a handler function
(method, path, headers, body) -> (status, headers, body)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, dict[str, str], bytes]
Handler = Callable[[str, str, dict[str, str], bytes], Reply]


class _PeerServer(ThreadingHTTPServer):
    peer: Handler


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _PeerServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, reply_headers, reply = self.server.peer(self.command, self.path, headers, body)
        self.send_response(status)
        for key, value in reply_headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        try:
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    do_GET = do_POST = _handle


@contextmanager
def serve(handler: Handler, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Run `handler` on 127.0.0.1:<free port>; yields the base URL (http://127.0.0.1:N, or
    https:// with a server-side `tls` context)."""
    server = _PeerServer(("127.0.0.1", 0), _Quiet)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    server.peer = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        scheme = "https" if tls is not None else "http"
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
