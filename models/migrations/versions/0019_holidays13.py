"""automations that skip the organisation's holidays (off for every automation there is)

Revision ID: 0019_holidays13
Revises: 0018_ops12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_holidays13"
down_revision: str | Sequence[str] | None = "0018_ops12"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN: SQLite keeps the table as it is; existing automations run on
    # holidays as they always did
    op.add_column(
        "automations",
        sa.Column("skip_holidays", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("automations") as batch_op:
        batch_op.drop_column("skip_holidays")
