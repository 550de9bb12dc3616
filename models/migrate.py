"""Schema migrations (Alembic): `skilltick db upgrade`, and the service upgrades itself on start.

Alembic is imported by the functions that migrate, not with this module, and only when there is
something to migrate: a database already at the scripts' heads (every command line start checks)
is left as it is without loading Alembic, which takes a good part of a second."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _assignments(source: str) -> dict[str, object]:
    """A script's module-level assignments (annotated or not) of literals, by name; Ellipsis
    where the value is not a literal."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                found[target.id] = ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError):
                found[target.id] = ...
    return found


@cache
def script_heads() -> frozenset[str] | None:
    """The newest revision of every branch, read from the scripts' own `revision` and
    `down_revision` (what Alembic reads, without loading it); None when a script says anything
    else that could bear on it (`depends_on`, a value that is not a plain literal)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = _assignments(path.read_text(encoding="utf-8"))
        revision, down = found.get("revision"), found.get("down_revision")
        if not isinstance(revision, str) or found.get("depends_on") is not None:
            return None
        downs = (down,) if isinstance(down, str) else down or ()
        if not isinstance(downs, tuple | list) or not all(isinstance(d, str) for d in downs):
            return None
        revisions.add(revision)
        parents.update(downs)
    return frozenset(revisions - parents)


def _at_heads(connection: Connection) -> bool:
    """Whether the database's revisions are the scripts' heads (then there is nothing to do)."""
    heads = script_heads()
    if not heads or not inspect(connection).has_table("alembic_version"):
        return False
    current = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return set(current) == heads


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database to `revision` (default: every branch's newest; feature areas keep
    their own migration branches off 0001)."""
    if revision == "heads":
        with engine.connect() as connection:
            if _at_heads(connection):
                return
    from alembic import command

    config = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # SQLite rebuilds a table to change it; with foreign keys enforced, dropping the old
        # copy would orphan its children. The switch only works outside a transaction, so it
        # goes off before BEGIN, and every reference is checked before the commit instead.
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left broken references: {broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    """The database's revisions, comma-separated when several branches are applied."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def head_revision() -> str | None:
    """The newest revision of every branch, comma-separated."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return ",".join(sorted(heads)) or None


def revise(engine: Engine, message: str) -> None:
    """Developer helper: autogenerate a migration against `engine` (run `db upgrade` first)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
    script_heads.cache_clear()  # a new script is a new head
