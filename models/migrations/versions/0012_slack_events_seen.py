"""slack events seen: Events API deliveries already taken in, so retries are processed once

Revision ID: 0012
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = ("slack_events",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_events_seen",
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(
        "ix_slack_events_seen_received_at", "slack_events_seen", ["received_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_slack_events_seen_received_at", table_name="slack_events_seen")
    op.drop_table("slack_events_seen")
