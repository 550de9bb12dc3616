"""Bounds every interface checks before a number or a text reaches the database driver.

Primary keys are PostgreSQL `integer` columns: an id outside 1..2**31-1 names no row, and
sending it would make the driver raise instead of the store answering "not found".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from models.errors import InvalidInput, NotFound

T = TypeVar("T")

ID_MAX = 2**31 - 1
PAGE_MAX = 200
NAME_MAX = 200
TEXT_MAX = 4000


def check_id(value: int, what: str) -> int:
    """`value` unchanged when a row could have it; NotFound (true of any such id) otherwise."""
    if not 1 <= value <= ID_MAX:
        raise NotFound(f"No {what} #{value}.")
    return value


def check_cursor(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= ID_MAX:
        raise InvalidInput(f"cursor must be a positive id (at most {ID_MAX}), got {value}.")
    return value


def check_limit(value: int, maximum: int = PAGE_MAX) -> int:
    if not 1 <= value <= maximum:
        raise InvalidInput(f"limit must be between 1 and {maximum}, got {value}.")
    return value


def check_text(value: str, what: str, maximum: int) -> str:
    """A text field: at most `maximum` characters and no NUL (PostgreSQL refuses it)."""
    if "\x00" in value:
        raise InvalidInput(f"{what} may not contain a NUL character.")
    if len(value) > maximum:
        raise InvalidInput(f"{what} is {len(value)} characters long; the limit is {maximum}.")
    return value


def page_read_size(limit: int) -> int:
    """How many rows to read for a page of `limit` (checked): one more than the page says
    whether a next page exists; the largest page reads only itself."""
    return min(check_limit(limit) + 1, PAGE_MAX)


def cut_page(rows: Sequence[T], limit: int) -> tuple[list[T], bool]:
    """The page of `limit` out of rows read with page_read_size, and whether rows beyond it
    exist (a full largest page counts as having more: one more could not be read)."""
    more = len(rows) > limit or (limit >= PAGE_MAX and len(rows) == limit)
    return list(rows[:limit]), more
