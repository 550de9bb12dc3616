"""Fixtures shared by the webhook tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.app import AppContext
from bench.kit.factories import OrgFixture
from tests.worker.triggers.trigger_support import served_org


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[AppContext, str, OrgFixture]]:
    """The whole app on a real socket with one organisation: (context, base URL, org)."""
    with served_org(tmp_path, datetime.now(UTC)) as found:
        yield found
