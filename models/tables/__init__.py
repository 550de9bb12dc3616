"""The store's tables (SQLModel), one module per aggregate."""

from __future__ import annotations

from sqlalchemy import Table, inspect
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a table model, for statements that run on a bare connection
    (SQLModel sets `__table__` on each table class but does not declare it)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table
