"""A skilltick HTTP server process for tests and the benchmark: the app on 127.0.0.1, port 0,
settings from the environment; with --worker the worker loop runs in-process, woken by the
webhook route (as `skilltick serve` runs it). Prints `port=<n>` once listening."""

from __future__ import annotations

import argparse
import sys
import threading

import uvicorn

from assistant.app import build_context
from assistant.http.app import create_app
from worker.tick.factory import build_worker
from worker.tick.loop import run_worker


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    ctx = build_context()
    stop = threading.Event()
    if args.worker:
        worker = build_worker(ctx.engine, ctx.settings, registry=ctx.registry)
        threading.Thread(
            target=run_worker, args=(worker,), daemon=True, kwargs={"stop": stop, "wake": ctx.wake}
        ).start()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(ctx), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
        )
    )

    def announce() -> None:
        while not server.started:
            if stop.wait(0.01):
                return
        print(f"port={server.servers[0].sockets[0].getsockname()[1]}", flush=True)

    threading.Thread(target=announce, daemon=True).start()
    server.run()
    stop.set()
    ctx.wake.set()
    sys.exit(0)


if __name__ == "__main__":
    main()
