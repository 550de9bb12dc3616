"""audit log: one row per change made to an organisation's automations, tokens and users

Revision ID: 0015_audit9
Revises: 0015_ats9
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015_audit9"
down_revision: str | Sequence[str] | None = "0015_ats9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("automation_id", sa.Integer(), nullable=True),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entries_org_id_id", "audit_entries", ["org_id", "id"])
    op.create_index("ix_audit_entries_automation_id", "audit_entries", ["automation_id"])
    op.create_index("ix_audit_entries_at", "audit_entries", ["at"])
    op.create_index("ix_audit_entries_owner_user_id", "audit_entries", ["owner_user_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entries_owner_user_id", table_name="audit_entries")
    op.drop_index("ix_audit_entries_at", table_name="audit_entries")
    op.drop_index("ix_audit_entries_automation_id", table_name="audit_entries")
    op.drop_index("ix_audit_entries_org_id_id", table_name="audit_entries")
    op.drop_table("audit_entries")
