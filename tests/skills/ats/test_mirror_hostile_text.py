"""What a candidate types into an application (their name, email, phone, current title and
company) reaches the mirror through the ATS's API, and PostgreSQL refuses a NUL character in
text: one candidate with a NUL in a field failed every page of the organisation's sync that
held them, on every attempt, so no later change of any candidate was mirrored. The mirror
keeps such text without its NULs, on both stores, as it keeps other text (cut to its column)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bench.kit.factories import make_org
from models.store.ats_mirror import MirrorCandidate, MirrorJob, mirror_candidates, mirror_jobs
from models.tables.demo_ats import AtsCandidate, AtsJob

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PIECES = ["\x00", "Ana", " ", "\r\n", "é", "<b>", "{{ x }}", "\x00\x00", "'", "-"]


def _hostile(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(length))


def test_nul_characters_from_the_ats_do_not_stop_the_mirror(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    rng = random.Random(13)
    candidates = [
        MirrorCandidate(
            external_id=str(n),
            first_name=_hostile(rng, 8),
            last_name=_hostile(rng, 40),
            email=f"c{n}\x00@example.com",
            phone=_hostile(rng, 12),
            location=_hostile(rng, 5),
            source="Job board\x00",
            headline=_hostile(rng, 120),
            owner=None,
            created_at=NOW,
            last_activity_at=None,
        )
        for n in range(20)
    ]
    job = MirrorJob("j1", "Engineer\x00", "R&D\x00", "Remote", "open", NOW, None, None, ())
    assert mirror_jobs(engine, org.org_id, "greenhouse", [job]) == 1
    assert mirror_candidates(engine, org.org_id, "greenhouse", candidates) == len(candidates)
    with engine.connect() as connection:
        stored = connection.execute(
            select(
                col(AtsCandidate.first_name), col(AtsCandidate.headline), col(AtsCandidate.email)
            )
            .where(col(AtsCandidate.org_id) == org.org_id)
            .order_by(col(AtsCandidate.id))
        ).all()
        title = connection.execute(select(col(AtsJob.title))).scalar_one()
    expected = [
        (c.first_name.replace("\x00", "")[:100], c.headline.replace("\x00", "")[:300], c.email)
        for c in candidates
    ]
    assert [tuple(row) for row in stored] == [
        (first, headline, email.replace("\x00", "")) for first, headline, email in expected
    ]
    assert title == "Engineer"
