"""How many examples a generated (Hypothesis) test tries.

Each test states its full count. A default run tries a quarter of it (at least 20): a
generator's first examples cover its shapes, and the examples differ from run to run, so runs
keep exploring. `SKILLTICK_TEST_EXAMPLES=full` tries the full counts, for a nightly run or
before a release.
"""

from __future__ import annotations

import os

EXAMPLES_ENV = "SKILLTICK_TEST_EXAMPLES"
QUICK_SHARE = 4
QUICK_AT_LEAST = 20


def full_runs() -> bool:
    """True when the environment asks for every test's full count of examples."""
    return os.environ.get(EXAMPLES_ENV, "").strip().lower() == "full"


def examples(full: int) -> int:
    """The number of examples to try of a test whose full count is `full`."""
    if full_runs():
        return full
    return min(full, max(QUICK_AT_LEAST, full // QUICK_SHARE))
