"""The demo ATS's writes, the few that workflow actions make: update a field, create a task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.engine import session_scope
from models.errors import NotFound
from models.tables.demo_ats import AtsApplication, AtsCandidate, AtsTask
from skills.ats.records import check_field_update


@dataclass(frozen=True)
class AtsWrites:
    """Workflow writes to one organisation's demo ATS."""

    engine: Engine
    org_id: int

    def update_field(self, entity: str, entity_id: int, field: str, value: str) -> str | None:
        check_field_update(entity, field, value)
        with session_scope(self.engine) as session:
            row: AtsApplication | AtsCandidate | None
            if entity == "application":
                row = session.get(AtsApplication, entity_id)
                statement = update(AtsApplication).where(col(AtsApplication.id) == entity_id)
            else:
                row = session.get(AtsCandidate, entity_id)
                statement = update(AtsCandidate).where(col(AtsCandidate.id) == entity_id)
            if row is None or row.org_id != self.org_id:
                raise NotFound(f"No {entity} {entity_id} in this organisation")
            previous: str | None = getattr(row, field)
            session.execute(statement.values({field: value}))
        return previous

    def create_task(
        self,
        *,
        title: str,
        due_at: datetime,
        now: datetime,
        owner_id: int | None,
        candidate_id: int | None = None,
        application_id: int | None = None,
        source_key: str | None = None,
        kind: str = "follow_up",
    ) -> tuple[int, bool]:
        if source_key is not None:
            existing = self._task_by_key(source_key)
            if existing is not None:
                return existing, False
        try:
            with session_scope(self.engine) as session:
                task = AtsTask(
                    org_id=self.org_id,
                    owner_id=owner_id,
                    candidate_id=candidate_id,
                    application_id=application_id,
                    title=title[:300],
                    kind=kind,
                    due_at=due_at,
                    source_key=source_key,
                    created_at=now,
                )
                session.add(task)
                session.flush()
                return task.id or 0, True
        except IntegrityError:
            existing = self._task_by_key(source_key or "")
            if existing is None:
                raise
            return existing, False

    def _task_by_key(self, source_key: str) -> int | None:
        query = select(col(AtsTask.id)).where(
            col(AtsTask.org_id) == self.org_id, col(AtsTask.source_key) == source_key
        )
        with Session(self.engine) as session:
            return session.scalar(query)
