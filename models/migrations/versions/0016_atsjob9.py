"""ats sync by the worker: a lease so one sync of a source runs at a time, when it syncs next,
when it last read everything, and how many syncs in a row failed

Revision ID: 0016_atsjob9
Revises: 0015_audit9
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016_atsjob9"
down_revision: str | Sequence[str] | None = "0015_audit9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMES = ("lease_until", "next_sync_at", "last_full_at")


def upgrade() -> None:
    # plain ADD COLUMNs: SQLite keeps the table as it is
    op.add_column(
        "ats_sync_sources",
        sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    for name in _TIMES:
        op.add_column(
            "ats_sync_sources",
            sa.Column(name, sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        )
    op.add_column(
        "ats_sync_sources",
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("ats_sync_sources") as batch_op:
        for name in ("failures", *reversed(_TIMES), "lease_owner"):
            batch_op.drop_column(name)
