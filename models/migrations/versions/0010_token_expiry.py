"""token expiry: API tokens may expire; dashboard sessions remember the token they came from

Revision ID: 0010
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.tables.access  # noqa: F401  (registers these tables on SQLModel.metadata for drift checks)

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("dashboard_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_dashboard_sessions_token_id"), ["token_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_dashboard_sessions_token_id_api_tokens", "api_tokens", ["token_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("dashboard_sessions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_dashboard_sessions_token_id_api_tokens", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_dashboard_sessions_token_id"))
        batch_op.drop_column("token_id")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
