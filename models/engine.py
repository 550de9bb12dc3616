"""Engine and session factories: SQLite (WAL, immediate write transactions) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool, Pool
from sqlmodel import Session, create_engine

from models.file_guard import FileGuard
from models.sqlite_gate import WriteGate

SQLITE_BUSY_TIMEOUT_MS = 30_000
#: SQLite's page cache per connection, in MB (its own default is 2 MB: a tick over 100,000
#: automations then rereads the automations' and runs' index pages from the file all the time).
#: Each pooled connection fills its own, so it is kept moderate; reads also go through the
#: memory map below, which every connection shares
SQLITE_CACHE_MB = 16
#: how much of a SQLite file a connection reads through a memory map rather than read()
#: calls (the map is the operating system's page cache, shared by every connection)
SQLITE_MMAP_MB = 256
READ_ONLY_SQLSTATE = "25006"  # PostgreSQL: read_only_sql_transaction


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(
    url: str,
    *,
    echo: bool = False,
    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    sqlite_cache_mb: int = SQLITE_CACHE_MB,
    sqlite_mmap_mb: int = SQLITE_MMAP_MB,
) -> Engine:
    """Create an engine. SQLite gets WAL, a busy timeout (how long a writer waits for the lock
    before "database is locked"), BEGIN IMMEDIATE for every transaction, so concurrent
    workers queue for the write lock instead of failing to upgrade, a page cache of
    `sqlite_cache_mb` per connection (a cap: it fills as pages are read), `sqlite_mmap_mb` of
    the file read through a memory map (0: none) and temporary tables in memory."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
            poolclass=NullPool if database in (None, "", ":memory:") else None,
        )
        guard = FileGuard(Path(database).resolve()) if database and database != ":memory:" else None
        pragmas = _tuning(sqlite_cache_mb, sqlite_mmap_mb)
        _configure_sqlite(engine, busy_timeout_ms, guard, pragmas)
        if guard is not None:
            _FILE_GUARDS[engine.pool] = guard
        return engine
    engine = create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        # a connection opened while the database was read-only keeps that default for good:
        # let the pool drop it, so writes work again as soon as the database takes them
        if getattr(context.original_exception, "sqlstate", None) == READ_ONLY_SQLSTATE:
            context.is_disconnect = True

    return engine


def _tuning(cache_mb: int, mmap_mb: int) -> tuple[str, ...]:
    """The pragmas that size SQLite's memory; a negative size is refused."""
    if cache_mb < 0 or mmap_mb < 0:
        raise ValueError("SQLite's cache and memory-map sizes are megabytes, 0 or more")
    return (
        # a negative cache_size is in KiB rather than pages
        f"PRAGMA cache_size=-{int(cache_mb) * 1024}",
        f"PRAGMA mmap_size={int(mmap_mb) * 1024 * 1024}",
        "PRAGMA temp_store=MEMORY",
    )


def _configure_sqlite(
    engine: Engine,
    busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
    guard: FileGuard | None = None,
    pragmas: tuple[str, ...] = (),
) -> None:
    _refuse_writes_in_reads(engine)

    if guard is not None:

        @event.listens_for(engine, "do_connect")
        def _before_connect(*_args: Any) -> None:
            # SQLite would create an empty file in place of a deleted one, or open a
            # read-only file read-only for good
            guard.check(write=True)

        @event.listens_for(engine, "handle_error")
        def _on_error(context: Any) -> None:
            # a connection that opened the file read-only stays so: let the pool drop it
            if "readonly database" in str(context.original_exception):
                context.is_disconnect = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # let SQLAlchemy, not pysqlite, decide when transactions begin
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()
        _record.info[_QUERY_ONLY] = False
        if guard is not None:
            guard.remember()

    gate = _WRITE_GATES[engine.pool] = WriteGate(busy_timeout_ms / 1000)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # a read-only transaction never upgrades to a write, so it may start deferred and
        # read alongside a writer (WAL); everything else queues for the write lock up front,
        # behind the process's other writers first (models.sqlite_gate)
        readonly = conn.get_execution_options().get(READ_ONLY_OPTION)
        if guard is not None:
            guard.check(write=not readonly)
        _set_query_only(conn, bool(readonly))
        if readonly:
            conn.exec_driver_sql("BEGIN")
            return
        dbapi_connection = conn.connection.dbapi_connection
        gate.enter(dbapi_connection)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            gate.leave(dbapi_connection)
            raise

    def _end(conn: Any, finish: str) -> None:
        # end the transaction here, then open the gate: SQLAlchemy's own commit or rollback
        # that follows finds no transaction and does nothing; if ending fails here it fails
        # again there, and is reported as usual
        try:
            dbapi_connection = conn.connection.dbapi_connection
        except Exception:
            return  # invalidated: the pool's invalidate event opens the gate
        try:
            getattr(dbapi_connection, finish)()
        except Exception:
            pass
        finally:
            gate.leave(dbapi_connection)

    @event.listens_for(engine, "commit")
    def _on_commit(conn: Any) -> None:
        _end(conn, "commit")

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Any) -> None:
        _end(conn, "rollback")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        # a connection returned without its transaction ended through SQLAlchemy
        gate.leave(dbapi_connection)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(dbapi_connection: Any, _record: Any, _exception: Any) -> None:
        gate.leave(dbapi_connection)


def _set_query_only(conn: Any, readonly: bool) -> None:
    # SQLite refuses writes on a query_only connection, so a write hidden in a read fails at
    # once (and in tests) instead of quietly taking the write lock
    info = conn.connection.info
    if info.get(_QUERY_ONLY, False) != readonly:
        conn.exec_driver_sql(f"PRAGMA query_only={1 if readonly else 0}")
        info[_QUERY_ONLY] = readonly


def _refuse_writes_in_reads(engine: Engine) -> None:
    @event.listens_for(engine, "handle_error")
    def _on_read_only_write(context: Any) -> None:
        # a statement that writes inside a read-only transaction is a bug in the caller, not
        # a read-only file: say so, and keep the connection
        conn = context.connection
        if (
            conn is not None
            and conn.get_execution_options().get(READ_ONLY_OPTION)
            and "readonly database" in str(context.original_exception)
        ):
            raise WriteInReadOnly(
                "a statement tried to write inside a read-only transaction "
                f"(models.engine.read_only): {context.statement}"
            ) from context.original_exception


READ_ONLY_OPTION = "skilltick_read_only"
# whether a SQLite connection is in query_only mode (its pool record's info)
_QUERY_ONLY = "skilltick_query_only"


class WriteInReadOnly(RuntimeError):
    """A statement wrote through `read_only(engine)`: a programming error."""


# the file guard of each SQLite file engine, by pool (an engine's option copies share it)
_FILE_GUARDS: WeakKeyDictionary[Pool, FileGuard] = WeakKeyDictionary()


# the in-process write gate of each SQLite engine, by pool (an engine's option copies share it)
_WRITE_GATES: WeakKeyDictionary[Pool, WriteGate] = WeakKeyDictionary()


def write_gate(engine: Engine) -> WriteGate | None:
    """The gate a SQLite engine's write transactions queue on in this process (None: not
    SQLite)."""
    return _WRITE_GATES.get(engine.pool)


def file_fault(engine: Engine) -> str | None:
    """For an engine on a SQLite file: what is wrong with the file (deleted, replaced,
    read-only), in words; None when it is fine or the engine is not on a file."""
    guard = _FILE_GUARDS.get(engine.pool)
    return guard.fault(write=True) if guard is not None else None


def read_only(engine: Engine) -> Engine:
    """The same engine for transactions that only read (SQLite: they no longer wait for the
    write lock; PostgreSQL: unchanged). Writing through it is a bug."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
