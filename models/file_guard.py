"""Watching the SQLite file an engine opened: deleted, replaced or made read-only under a
running service, it must fail loudly instead of writing into an unlinked file nobody will see.

The identity (device, inode) of the file is kept from the first connection; every transaction
checks that the path still names that file (one stat call) and, for writes, that it is still
writable; no new connection is opened while it is not (SQLite would quietly create an empty
file, or open a read-only one that stays read-only)."""

from __future__ import annotations

import os
from pathlib import Path

from models.errors import StoreUnavailable


class FileGuard:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity: tuple[int, int] | None = None

    def remember(self) -> None:
        """Called once the first connection has opened (and created) the file."""
        if self.identity is None:
            st = os.stat(self.path)
            self.identity = (st.st_dev, st.st_ino)

    def fault(self, *, write: bool) -> str | None:
        """What is wrong with the file, in words; None when it is fine."""
        if self.identity is None:
            return None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return (
                f"The database file {self.path} was deleted or moved while skilltick was "
                "running; move it back (skilltick resumes by itself) or restart skilltick."
            )
        except OSError as exc:
            return f"The database file {self.path} cannot be checked ({exc.strerror})."
        if (st.st_dev, st.st_ino) != self.identity:
            return (
                f"The database file {self.path} was replaced by another file while skilltick "
                "was running; put the original back or restart skilltick."
            )
        if write and not os.access(self.path, os.W_OK):
            return (
                f"The database file {self.path} is read-only; make it writable again "
                "(skilltick resumes by itself)."
            )
        return None

    def check(self, *, write: bool) -> None:
        problem = self.fault(write=write)
        if problem is not None:
            raise StoreUnavailable(problem)
