"""Migrations: head matches the models on both stores, and upgrading is idempotent; a database
already at head is recognised without loading Alembic, and one behind is still migrated."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from models.engine import make_engine
from models.migrate import current_revision, head_revision, script_heads, upgrade
from models.tables.catalogue import metadata


def _schema_diff(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        # compare_type=True as in env.py: a column type that differs from the model is drift
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_head_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        diff = _schema_diff(engine)
    finally:
        engine.dispose()
    assert diff == [], "migrations drift from the models; add a migration:\n" + "\n".join(
        map(repr, diff)
    )


def _index_text(index: Any) -> str:
    """An index as text; a partial index's condition by its SQL (reflected as an object)."""
    options = {k: str(v) for k, v in index.get("dialect_options", {}).items()}
    return repr({**index, "dialect_options": options})


def _schema_snapshot(engine: Engine) -> dict[str, Any]:
    """Tables with their columns, indexes, unique and foreign keys, as reflected."""
    inspector = inspect(engine)
    snapshot: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        snapshot[table] = {
            "columns": [
                (column["name"], str(column["type"]), column["nullable"])
                for column in inspector.get_columns(table)
            ],
            "indexes": sorted(_index_text(index) for index in inspector.get_indexes(table)),
            "unique": sorted(repr(unique) for unique in inspector.get_unique_constraints(table)),
            "foreign_keys": sorted(repr(fk) for fk in inspector.get_foreign_keys(table)),
        }
    return snapshot


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    revision, schema = current_revision(engine), _schema_snapshot(engine)
    upgrade(engine)
    assert current_revision(engine) == revision
    assert _schema_snapshot(engine) == schema


def test_current_revision_is_head_after_upgrade(engine: Engine) -> None:
    assert head_revision() is not None
    assert current_revision(engine) == head_revision()


def test_empty_database_has_no_revision(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
    finally:
        engine.dispose()


ROOT = Path(__file__).resolve().parents[2]


def _upgrade_in_a_fresh_process(url: str) -> dict[str, Any]:
    """Upgrade in a new interpreter: whether it loaded Alembic, and the revision it left."""
    code = (
        "import json, sys\n"
        "from models.engine import make_engine\n"
        "from models.migrate import current_revision, upgrade\n"
        f"engine = make_engine({url!r})\n"
        "upgrade(engine)\n"
        "print(json.dumps({'alembic': 'alembic' in sys.modules,\n"
        "    'revision': current_revision(engine)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_heads_read_from_the_scripts_are_alembics() -> None:
    heads = head_revision()
    assert heads is not None
    assert script_heads() == frozenset(heads.split(","))


def test_a_database_at_head_is_upgraded_without_loading_alembic(db_url: str) -> None:
    head = head_revision()
    # an empty database is migrated, with Alembic; the next start finds it at head
    assert _upgrade_in_a_fresh_process(db_url) == {"alembic": True, "revision": head}
    assert _upgrade_in_a_fresh_process(db_url) == {"alembic": False, "revision": head}
