"""system jobs: automations marked as one of the organisation's fixed jobs

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # the jobs themselves are created by models.store.system_jobs.ensure_system_jobs, which
    # every upgrade runs after the schema is current
    # a plain ADD COLUMN: SQLite keeps the table (and its AUTOINCREMENT) as it is
    op.add_column(
        "automations",
        sa.Column("system", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table(
        "automations", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_column("system")
