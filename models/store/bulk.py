"""Driver-level bulk writes for the tick's hot statements.

SQLAlchemy Core's executemany processes every parameter of every row in Python (type
processors, JSON encoding, parameter dictionaries); for the tens of thousands of rows one tick
writes that cost several times the database's own work. These helpers build the SQL once and
hand the driver plain tuples: datetimes in the storage form SQLAlchemy itself uses (SQLite: naive
UTC text; PostgreSQL: aware datetimes), JSON as text. Reading back goes through the normal
SQLAlchemy types, so both paths stay interchangeable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy.engine import Connection

from models.clock import utc

# SQLite allows 32,766 bound parameters per statement; stay well below it
_MAX_PARAMS = 30_000
_EMPTY: dict[type, str] = {dict: "{}", list: "[]"}


def _encode(value: dict[Any, Any] | list[Any]) -> str:
    # orjson is several times quicker than the json module on the small documents a run
    # stores (its summary, metrics and detail); what it refuses (an integer beyond 64 bits)
    # goes through the json module, so both write whatever json.dumps would
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return _json_encode(value)


# json.dumps with arguments builds an encoder per call; one serves every value
_json_encode = json.JSONEncoder(separators=(",", ":")).encode

# the only types the driver cannot take as they are
_CONVERTED = frozenset({datetime, dict, list})


def _fixed(value: Any) -> bool:
    """Whether a value is one of the few a shared column may be written as a literal: NULL,
    a flag, 0 or 1, empty JSON (never data: see BulkWriter.insert)."""
    kind = type(value)
    if value is None or kind is bool:
        return True
    if kind is int:
        return value in (0, 1)
    return (kind is dict or kind is list) and not value


class BulkWriter:
    def __init__(self, conn: Connection | None, *, sqlite: bool | None = None) -> None:
        """`conn` may come later (`conn = ...`), for rows built before their transaction
        begins; then `sqlite` says which driver they are for."""
        self._conn = conn
        self.sqlite = conn.dialect.name == "sqlite" if conn is not None else bool(sqlite)
        self.mark = "?" if self.sqlite else "%s"
        # a batch repeats a few instants (now, the lease end, shared schedule slots) many times
        self._instants: dict[datetime, str] = {}

    @property
    def conn(self) -> Connection:
        assert self._conn is not None, "a connection is given before writing"
        return self._conn

    @conn.setter
    def conn(self, conn: Connection) -> None:
        self._conn = conn

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind is datetime:
            return self.instant(value)
        if kind is dict or kind is list:
            return self.document(value)
        return value

    def instant(self, value: datetime | None) -> Any:
        """A datetime (or None) in the driver's storage form: on SQLite, SQLAlchemy's DATETIME
        text, in UTC (see UTCDateTime)."""
        if value is None or not self.sqlite:
            return value
        text = self._instants.get(value)
        if text is None:
            if value.tzinfo is UTC:
                # the common case, and quicker than converting: the text without its "+00:00"
                text = value.isoformat(" ", "microseconds")[:-6]
            else:
                text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
            self._instants[value] = text
        return text

    @staticmethod
    def document(value: dict[Any, Any] | list[Any]) -> str:
        """A JSON column's value as the text both drivers take."""
        return _encode(value) if value else _EMPTY[type(value)]

    def row(self, values: Iterable[Any]) -> tuple[Any, ...]:
        convert = _CONVERTED
        return tuple([self.value(v) if type(v) in convert else v for v in values])

    def sql(self, template: str) -> str:
        """`template` uses `?` for parameters; PostgreSQL's driver wants `%s`."""
        return template if self.sqlite else template.replace("%", "%%").replace("?", "%s")

    def executemany(
        self, template: str, rows: Sequence[Sequence[Any]], *, converted: bool = False
    ) -> None:
        """`converted`: the rows already hold storage forms (instant(), document()), so no
        value is looked at again."""
        if rows:
            params = rows if converted else [self.row(r) for r in rows]
            self.conn.exec_driver_sql(self.sql(template), params)

    def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        returning: Sequence[str] = (),
        converted: bool = False,
        literals: Sequence[tuple[str, str]] = (),
    ) -> list[tuple[Any, ...]]:
        """Multi-row INSERT ... VALUES (...), (...) [RETURNING ...], in chunks of a power of two
        rows; on SQLite, without RETURNING, one single-row INSERT run for every row instead. A column whose value is the same in every row of a chunk and has few possible
        forms (NULL, a flag, 0 or 1, empty JSON) is written once as a literal instead of once
        per row.

        The driver keeps every statement it prepared (SQLite: per connection, up to a hundred
        or so), and a statement of a thousand rows holds about a megabyte: so a statement's
        text depends only on its table, columns, row count and those literals, never on the
        data. Chunking by powers of two bounds the row counts, and with them the statements
        the driver keeps, to a dozen per shape; the next batch reuses them ready-parsed.

        `converted`: the rows already hold storage forms (instant(), document()) and none of
        their values is written as a literal (no value is looked at); `literals`: (column, SQL
        text) the same in every row the caller ever writes, in the statement's text."""
        if not rows:
            return []
        width = len(columns)
        if literals:
            assert converted, "literal columns are for rows already in storage form"
            columns = [*columns, *(name for name, _ in literals)]
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        if self.sqlite and not returning:
            # SQLite runs a one-row statement once per row (executemany) for about half the
            # CPU a multi-row VALUES statement spends per row, and its text never varies
            marks = ", ".join([self.mark] * width + [sql for _, sql in literals])
            params = rows if converted else [self.row(r) for r in rows]
            self.conn.exec_driver_sql(f"{head}({marks})", params)
            return []
        largest = 1 << (max(1, _MAX_PARAMS // width).bit_length() - 1)
        tail = f" RETURNING {', '.join(returning)}" if returning else ""
        out: list[tuple[Any, ...]] = []
        row_marks = "(" + ", ".join([self.mark] * width + [sql for _, sql in literals]) + ")"
        start = 0
        while start < len(rows):
            size = min(largest, 1 << ((len(rows) - start).bit_length() - 1))
            part = rows[start : start + size]
            start += size
            if converted:
                statement = head + ", ".join([row_marks] * len(part)) + tail
                result = self.conn.exec_driver_sql(statement, tuple([v for r in part for v in r]))
                if returning:
                    out.extend(tuple(r) for r in result.fetchall())
                continue
            first = part[0]
            shared = {
                i for i in range(width) if _fixed(first[i]) and all(r[i] == first[i] for r in part)
            }
            varying = [i for i in range(width) if i not in shared]
            per_row = (
                "("
                + ", ".join(
                    self.literal(first[i]) if i in shared else self.mark for i in range(width)
                )
                + ")"
            )
            convert, value = _CONVERTED, self.value
            if len(varying) == width:
                params = [value(v) if type(v) in convert else v for r in part for v in r]
            elif len(varying) > 1:
                pick = itemgetter(*varying)
                params = [value(v) if type(v) in convert else v for r in part for v in pick(r)]
            else:
                params = [
                    value(r[i]) if type(r[i]) in convert else r[i] for r in part for i in varying
                ]
            statement = head + ", ".join([per_row] * len(part)) + tail
            result = self.conn.exec_driver_sql(statement, tuple(params))
            if returning:
                out.extend(tuple(r) for r in result.fetchall())
        return out

    def literal(self, value: Any) -> str:
        """An SQL literal for a value our own code produced (ids, codes, instants, JSON)."""
        if value is None:
            return "NULL"
        if type(value) is bool:
            return ("1" if value else "0") if self.sqlite else ("TRUE" if value else "FALSE")
        if type(value) is int:
            return str(value)
        text = self.value(value)
        if type(value) is datetime and not self.sqlite:
            text = value.isoformat()
        quoted = "'" + str(text).replace("'", "''") + "'"
        # psycopg treats % in the statement as a placeholder marker
        return quoted if self.sqlite else quoted.replace("%", "%%")


class InstantReader:
    """Timestamps as the driver hands them back (SQLite: SQLAlchemy's DATETIME text, naive UTC),
    as aware UTC datetimes; each distinct value is converted once (a batch shares a few)."""

    def __init__(self) -> None:
        self._seen: dict[Any, datetime] = {}

    def __call__(self, value: datetime | str) -> datetime:
        instant = self._seen.get(value)
        if instant is None:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
            instant = self._seen[value] = utc(parsed)
        return instant
