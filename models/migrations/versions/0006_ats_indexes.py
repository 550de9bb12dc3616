"""ats indexes: report reads by window, kind and candidate

Revision ID: 0006
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

import models.tables.demo_ats  # noqa: F401  (registers these tables on SQLModel.metadata for drift checks)

revision: str = "0006"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("ats_indexes",)
depends_on: str | Sequence[str] | None = None

INDEXES = (  # name, table, columns
    ("ix_ats_applications_org_applied", "ats_applications", ["org_id", "applied_at"]),
    ("ix_ats_activities_org_kind_time", "ats_activities",
     ["org_id", "kind", "occurred_at", "from_stage", "to_stage", "application_id"]),
    ("ix_ats_activities_candidate_time", "ats_activities", ["candidate_id", "occurred_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
