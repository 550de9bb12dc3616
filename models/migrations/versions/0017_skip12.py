"""the occurrences an automation skips, each with when it was asked for (JSON text, NULL when
none)

Revision ID: 0017_skip12
Revises: 0016_atsjob9
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_skip12"
down_revision: str | Sequence[str] | None = "0016_atsjob9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN: SQLite keeps the table as it is
    op.add_column("automations", sa.Column("skips", sa.Text(), nullable=True))
    op.create_index(
        "ix_automations_skipping",
        "automations",
        ["id"],
        postgresql_where=sa.text("skips IS NOT NULL"),
        sqlite_where=sa.text("skips IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_automations_skipping", table_name="automations")
    with op.batch_alter_table("automations") as batch_op:
        batch_op.drop_column("skips")
