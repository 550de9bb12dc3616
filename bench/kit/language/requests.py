"""The request table: requests as recruiters phrase them, each with its zone and the schedule
it must become (cases), and the questions that must stay questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REQUESTS_FILE = Path(__file__).with_name("requests.yaml")


def request_table() -> dict[str, Any]:
    table: dict[str, Any] = yaml.safe_load(REQUESTS_FILE.read_text(encoding="utf-8"))
    return table
