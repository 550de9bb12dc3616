"""A reply can arrive: `skilltick demo reply` records candidate.replied in the demo ATS, and
the next tick stops the candidate's sequence enrolments as replied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from assistant.cli.root import app
from models.engine import make_engine
from models.store import sequences as sequences_store
from models.store.orgs import find_org
from models.store.run_queue import db_now
from models.tables.demo_ats import AtsApplication
from models.tables.sequences import Enrolment

runner = CliRunner()


def test_a_demo_reply_stops_the_candidates_sequences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/skilltick.db"
    monkeypatch.setenv("SKILLTICK_DATABASE_URL", url)
    monkeypatch.delenv("SKILLTICK_SMTP_HOST", raising=False)
    assert runner.invoke(app, ["demo", "seed", "--candidates", "12"]).exit_code == 0
    engine = make_engine(url)
    try:
        org_id = find_org(engine, "demo").id or 0
        with Session(engine) as s:
            person = s.exec(
                select(col(AtsApplication.candidate_id)).order_by(col(AtsApplication.id))
            ).first()
        assert person is not None
        sequence = sequences_store.find_sequence(engine, org_id, "New applicant welcome")
        sequences_store.enrol(engine, org_id, sequence.id or 0, person, now=db_now(engine))

        said = runner.invoke(app, ["demo", "reply", str(person), "--json"])
        assert said.exit_code == 0, said.output
        assert json.loads(said.stdout)["event_type"] == "candidate.replied"
        assert runner.invoke(app, ["tick"]).exit_code == 0
        with Session(engine) as s:
            row = s.exec(select(Enrolment).where(col(Enrolment.candidate_id) == person)).one()
        assert (row.status, row.stop_reason) == ("stopped", "replied")
        assert "No candidate 999999" in runner.invoke(app, ["demo", "reply", "999999"]).stderr
    finally:
        engine.dispose()
