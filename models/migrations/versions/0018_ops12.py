"""operators: users who run the service and read its whole figures (/status, /metrics)

Revision ID: 0018_ops12
Revises: 0017_skip12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_ops12"
down_revision: str | Sequence[str] | None = "0017_skip12"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN: SQLite keeps the table as it is; nobody is an operator until the
    # host says so (`skilltick operators add`)
    op.add_column(
        "users",
        sa.Column("operator", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("operator")
