"""A throwaway PostgreSQL server for the tests: initdb into a temp dir, start, create a database,
and on exit stop it and delete everything.

As root the server runs as the `postgres` system user (PostgreSQL refuses to run as root);
as any other user it runs directly.
"""

from __future__ import annotations

import ctypes
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import psycopg

DATABASE = "skilltick_test"
SUPERUSER = "postgres"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
# a port can be taken between picking it and the server binding it: try again with another
START_ATTEMPTS = 3

# speed over durability: the cluster is deleted after the run anyway
SERVER_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "listen_addresses": "127.0.0.1",
}


class PgServerError(RuntimeError):
    """PostgreSQL could not be found or started."""


@dataclass
class PgServer:
    """A running server; `url` points at its test database."""

    bindir: Path
    root: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"


def find_bindir() -> Path:
    """The directory holding initdb and postgres: pg_config's, else the newest Debian one."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            candidates.append(Path(result.stdout.strip()))
    # pg_config may come from libpq-dev without a server next to it, so also look at the packages
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    candidates += [Path(path) for path in debian]
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    raise PgServerError(
        "PostgreSQL server binaries (initdb, postgres) not found; "
        "install them with `apt-get install -y postgresql`"
    )


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _run_as() -> pwd.struct_passwd | None:
    """The account to run the server as: `postgres` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PgServerError(
            "running as root but there is no `postgres` system user to run PostgreSQL as"
        ) from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    # if pytest is killed outright, the kernel stops the server instead of leaking it
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGQUIT)


class _ProcessAccount(TypedDict, total=False):
    preexec_fn: Callable[[], None]
    user: int
    group: int
    extra_groups: list[int]


def _popen_kwargs(account: pwd.struct_passwd | None) -> _ProcessAccount:
    kwargs: _ProcessAccount = {"preexec_fn": _die_with_parent}
    if account is not None:
        kwargs["user"], kwargs["group"], kwargs["extra_groups"] = account.pw_uid, account.pw_gid, []
    return kwargs


def _make_root(account: pwd.struct_passwd | None, base_dir: Path | None) -> Path:
    # the postgres user must reach the dir (a root TMPDIR may be private), and a unix socket
    # path must stay under ~107 bytes
    base = str(base_dir) if base_dir is not None else tempfile.gettempdir()
    if (account is not None and base_dir is None) or len(base) > 60:
        base = "/tmp"
    root = Path(tempfile.mkdtemp(prefix="skilltick-pg-", dir=base))
    if account is not None:
        os.chown(root, account.pw_uid, account.pw_gid)
    return root


def _initdb(bindir: Path, root: Path, account: pwd.struct_passwd | None) -> Path:
    datadir = root / "data"
    command = [
        str(bindir / "initdb"),
        f"--pgdata={datadir}",
        f"--username={SUPERUSER}",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",  # initdb's own fsync: pointless for a throwaway cluster
    ]
    result = subprocess.run(
        command,
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        **_popen_kwargs(account),
    )
    if result.returncode != 0:
        raise PgServerError(f"initdb failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return datadir


def _spawn(
    bindir: Path, root: Path, datadir: Path, port: int, account: pwd.struct_passwd | None
) -> subprocess.Popen[bytes]:
    settings = {**SERVER_SETTINGS, "port": str(port), "unix_socket_directories": str(root)}
    command = [str(bindir / "postgres"), "-D", str(datadir)]
    for name, value in settings.items():
        command += ["-c", f"{name}={value}"]
    log = (root / "server.log").open("ab")
    if account is not None:
        os.chown(root / "server.log", account.pw_uid, account.pw_gid)
    try:
        return subprocess.Popen(
            command,
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            **_popen_kwargs(account),
        )
    finally:
        log.close()


def _wait_ready(server: PgServer) -> None:
    """Poll until the server accepts connections, or fail with the tail of its log."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.process.poll() is not None:
            raise PgServerError(
                f"postgres exited with {server.process.returncode}:\n{_log_tail(server)}"
            )
        try:
            with psycopg.connect(
                host="127.0.0.1",
                port=server.port,
                user=SUPERUSER,
                dbname="postgres",
                connect_timeout=2,
            ):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise PgServerError(
                    f"postgres not ready after {START_TIMEOUT_S:.0f}s:\n{_log_tail(server)}"
                ) from None
            time.sleep(0.05)


def _log_tail(server: PgServer) -> str:
    try:
        return server.log_path.read_text(errors="replace")[-2000:]
    except OSError:
        return "(no server log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    # immediate shutdown (SIGQUIT): the data is thrown away, so no checkpoint is worth waiting for
    if process.poll() is None:
        with suppress(ProcessLookupError):
            process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start(base_dir: Path | None = None) -> PgServer:
    """Start a fresh server with database `skilltick_test`, its files in a new directory under
    `base_dir` (default: the temp dir); call `stop(server)` when done."""
    bindir = find_bindir()
    account = _run_as()
    root = _make_root(account, base_dir)
    server: PgServer | None = None
    try:
        datadir = _initdb(bindir, root, account)
        for attempt in range(1, START_ATTEMPTS + 1):
            port = _free_port()
            server = PgServer(bindir, root, port, _spawn(bindir, root, datadir, port, account))
            try:
                _wait_ready(server)
                break
            except PgServerError:
                _stop(server.process)
                server = None
                if attempt == START_ATTEMPTS:
                    raise
        assert server is not None
        with psycopg.connect(
            host="127.0.0.1",
            port=server.port,
            user=SUPERUSER,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
        return server
    except BaseException:
        if server is not None:
            _stop(server.process)
        shutil.rmtree(root, ignore_errors=True)
        raise


def stop(server: PgServer) -> None:
    """Stop the server and delete its files."""
    try:
        _stop(server.process)
    finally:
        shutil.rmtree(server.root, ignore_errors=True)


@contextmanager
def running() -> Iterator[PgServer]:
    """A server for the duration of the block."""
    server = start()
    try:
        yield server
    finally:
        stop(server)
