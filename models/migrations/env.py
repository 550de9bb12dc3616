"""Alembic environment: migrations run on the connection that models.migrate hands over."""

from __future__ import annotations

from alembic import context

from models.tables.catalogue import metadata

config = context.config
target_metadata = metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
