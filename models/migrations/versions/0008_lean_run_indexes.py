"""lean run indexes: only what a query reads, partial where the rows served are few

Revision ID: 0008
Revises: 0002, 0003, 0004, 0005, 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = ("0002", "0003", "0004", "0005", "0006")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "automation_runs"

DROPPED = (  # name, columns (as 0001 created them)
    ("ix_automation_runs_event_id", ["event_id"]),
    ("ix_runs_automation_status", ["automation_id", "status"]),
    ("ix_runs_claim", ["status", "not_before"]),
    ("ix_runs_lease", ["status", "lease_expires_at"]),
    ("ix_runs_org_created", ["org_id", "created_at"]),
    ("ix_runs_output_expiry", ["output_expires_at"]),
)

PARTIAL = (  # name, columns, the rows indexed
    ("ix_runs_pending", ["not_before", "id"], "status = 'pending'"),
    ("ix_runs_running", ["automation_id", "lease_expires_at"], "status = 'running'"),
    ("ix_runs_org_started", ["org_id", "started_at"], "started_at IS NOT NULL"),
    ("ix_runs_org_event_created", ["org_id", "created_at"], "triggered_by = 'event'"),
    ("ix_runs_event", ["event_id"], "event_id IS NOT NULL"),
    ("ix_runs_output_expiry", ["output_expires_at"], "output_expires_at IS NOT NULL"),
)


def upgrade() -> None:
    for name, _ in DROPPED:
        op.drop_index(name, table_name=TABLE)
    for name, columns, where in PARTIAL:
        op.create_index(
            name,
            TABLE,
            columns,
            unique=False,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    for name, _, _ in reversed(PARTIAL):
        op.drop_index(name, table_name=TABLE)
    for name, columns in DROPPED:
        op.create_index(name, TABLE, columns, unique=False)
