"""Shared fixtures. Every store test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

from bench.kit.peers import postgres as pg_server
from models.engine import make_engine, normalise_url
from models.migrate import upgrade

# --------------------------------------------------------------------------------------------
# Scratch space
# --------------------------------------------------------------------------------------------

SCRATCH_ENV = "SKILLTICK_TEST_TMPDIR"
# the test PostgreSQL cluster and its databases, a few hundred SQLite copies and homes
SCRATCH_NEEDS_BYTES = 2 * 1024**3


def _scratch_dir() -> Path | None:
    """Where the tests' throwaway files go: $SKILLTICK_TEST_TMPDIR, else /dev/shm when it is a
    roomy memory-backed file system, else None (the usual temp dir). Everything there is
    deleted after the run, so it need not survive a crash: on a busy disk, writing it made
    creating one PostgreSQL database take seconds instead of a tenth of one."""
    chosen = os.environ.get(SCRATCH_ENV)
    if chosen:
        return Path(chosen)
    shm = Path("/dev/shm")
    try:
        stats = os.statvfs(shm)
    except OSError:
        return None
    roomy = stats.f_bavail * stats.f_frsize >= SCRATCH_NEEDS_BYTES
    return shm if roomy and os.access(shm, os.W_OK | os.X_OK) else None


SCRATCH = _scratch_dir()
if SCRATCH is not None:
    # before pytest makes its temp dirs; the processes tests start inherit it
    os.environ["TMPDIR"] = str(SCRATCH)
    tempfile.tempdir = None

# --------------------------------------------------------------------------------------------
# PostgreSQL server
# --------------------------------------------------------------------------------------------

PG_URL_ENV = "SKILLTICK_TEST_PG_URL"


def in_ci() -> bool:
    """True when env CI says so: there a PostgreSQL test that cannot run must fail, not skip."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _pg_unavailable(reason: str) -> NoReturn:
    message = f"PostgreSQL unavailable: {reason} (or point {PG_URL_ENV} at a server)"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a PostgreSQL database to administer: $SKILLTICK_TEST_PG_URL, else a throwaway
    server started once per session (per xdist worker) and deleted at the end."""
    external = os.environ.get(PG_URL_ENV)
    if external:
        probe = create_engine(normalise_url(external), poolclass=NullPool)
        try:
            with probe.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            _pg_unavailable(f"{PG_URL_ENV} does not answer: {exc}")
        finally:
            probe.dispose()
        yield external
        return
    try:
        server = pg_server.start(SCRATCH)
    except Exception as exc:
        _pg_unavailable(str(exc))
    try:
        yield server.url
    finally:
        pg_server.stop(server)


@pytest.fixture(scope="session")
def pg_admin(pg_url: str) -> Iterator[Engine]:
    """An autocommit engine on `pg_url`, for CREATE/DROP DATABASE."""
    engine = create_engine(normalise_url(pg_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield engine
    engine.dispose()


@contextmanager
def _pg_database(pg_url: str, admin: Engine, template: str | None) -> Iterator[str]:
    """The URL of a new database (a copy of `template`, else empty), dropped afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
    url = make_url(normalise_url(pg_url)).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        # FORCE: a connection a test leaked must not keep the database (and the server) busy
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def pg_database_url(pg_url: str, pg_admin: Engine) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with _pg_database(pg_url, pg_admin, None) as url:
        yield url


@pytest.fixture
def pg_migrated_database_url(pg_url: str, pg_admin: Engine, pg_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database holding a copy of the migrated template, dropped afterwards."""
    with _pg_database(pg_url, pg_admin, pg_template) as url:
        yield url


# --------------------------------------------------------------------------------------------
# Stores: each test gets its own empty database
# --------------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, empty database, once per store (test ids `[sqlite]`, `[postgresql]`)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/skilltick.db"
    # looked up lazily so SQLite-only runs (-k sqlite) never start PostgreSQL; a test that
    # also takes `engine` gets the migrated copy straight away rather than an empty database
    # dropped again to make it
    if "engine" in request.fixturenames:
        return str(request.getfixturevalue("pg_migrated_database_url"))
    return str(request.getfixturevalue("pg_database_url"))


# Migrating a database takes about a second; a session migrates one template per store and
# each test gets a copy of it (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
# PostgreSQL): the same schema the migrations build, for a few milliseconds.
# tests/models/test_migrations.py still runs the migrations themselves on empty databases.


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, closed (its WAL folded in), to be copied."""
    path = tmp_path_factory.mktemp("template") / "skilltick.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template(pg_url: str, pg_admin: Engine) -> str:
    """Name of a PostgreSQL database migrated to head, with no connection left open on it."""
    name = f"template_{uuid.uuid4().hex}"
    with pg_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(pg_url)).set(database=name)
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return name


def _migrated(url: str, request: pytest.FixtureRequest) -> Engine:
    """An engine on `url` holding a copy of the migrated template: a SQLite file is copied
    in; a PostgreSQL database for `engine` was created as a copy (see `db_url`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), str(parsed.database))
    return make_engine(url)


@pytest.fixture
def engine(db_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated engine on each store."""
    engine = _migrated(db_url, request)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated SQLite engine, for tests that do not need both stores."""
    engine = _migrated(f"sqlite:///{tmp_path}/skilltick.db", request)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated engine on each store, shared by a module's tests: for records a module-scoped
    fixture writes once and its tests only read."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("module") / "skilltick.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    pg_url, admin = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_admin")
    with _pg_database(pg_url, admin, request.getfixturevalue("pg_template")) as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


# --------------------------------------------------------------------------------------------
# Hermetic environment
# --------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_real_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach real services with a developer's keys: a test that wants Claude or
    Slack sets the variables itself, pointing at a local peer."""
    for name in (
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "SKILLTICK_SLACK_BOT_TOKEN",
        "SKILLTICK_SLACK_SIGNING_SECRET",
        "SKILLTICK_SLACK_APP_TOKEN",
        "SKILLTICK_SMTP_HOST",
        "SKILLTICK_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    # many tests try automations out far faster than a person, at a fixed clock: the limits
    # of one person's tries and Claude readings are tested where they are about
    monkeypatch.setenv("SKILLTICK_TESTS_PER_MINUTE", "100000")
    monkeypatch.setenv("SKILLTICK_CLAUDE_REQUESTS_PER_HOUR", "100000")


# --------------------------------------------------------------------------------------------
# Order: the longest files first
# --------------------------------------------------------------------------------------------


# Files of a few tests that each run long (a served process, a browser, a schema fuzzer), longest
# first as measured; a file missing from here is only ordered by its number of tests.
LONG_FILES = (
    "tests/assistant/cli/test_serve_store_faults.py",
    "tests/assistant/http/test_api_schemathesis.py",
    "tests/assistant/cli/test_help_in_pipes.py",
    "tests/assistant/cli/test_service_cli.py",
    "tests/assistant/cli/test_serve_public_url.py",
    "tests/assistant/cli/test_serve_pause_until.py",
    "tests/assistant/http/test_api_words_serve.py",
    "tests/assistant/mcp/test_mcp_serve.py",
    "tests/assistant/http/test_dashboard_browser.py",
    "tests/assistant/http/test_login_browser.py",
    "tests/assistant/http/test_audit_serve.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files marked `slow` first, then the LONG_FILES, then the others by their number of tests,
    most first, each file's tests in their own order. pytest-xdist hands whole files to its
    workers in this order (`--dist loadfile --no-loadscope-reorder`): when a long file came
    last, one worker ran it alone while the other sat idle."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def longest_first(tests: list[pytest.Item]) -> tuple[bool, int, int]:
        path = tests[0].nodeid.split("::", 1)[0]
        rank = LONG_FILES.index(path) if path in LONG_FILES else len(LONG_FILES)
        return (not any(test.get_closest_marker("slow") for test in tests), rank, -len(tests))

    items[:] = [test for tests in sorted(files.values(), key=longest_first) for test in tests]
