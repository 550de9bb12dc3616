"""API tokens remember who made them: one an admin made for a colleague is revoked when that
admin loses admin or leaves

Revision ID: 0020_sec13b
Revises: 0019_holidays13
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_sec13b"
down_revision: str | Sequence[str] | None = "0019_holidays13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_api_tokens_created_by_users", "users", ["created_by"], ["id"]
        )
    _makers_from_the_audit_log()


def _makers_from_the_audit_log() -> None:
    """Existing tokens get their maker from the audit log's token_create entries, those kept
    (a maker no longer a user is left unknown)."""
    conn = op.get_bind()
    entries = sa.table(
        "audit_entries",
        sa.column("actor_user_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("changes", sa.JSON),
    )
    tokens = sa.table("api_tokens", sa.column("id", sa.Integer), sa.column("created_by", sa.Integer))
    users = set(conn.execute(sa.text("SELECT id FROM users")).scalars())
    made = conn.execute(
        sa.select(entries.c.actor_user_id, entries.c.changes).where(
            entries.c.action == "token_create", entries.c.actor_user_id.is_not(None)
        )
    )
    for maker, changes in made:
        token_id = (changes or {}).get("token_id") if isinstance(changes, dict) else None
        if isinstance(token_id, int) and maker in users:
            conn.execute(
                sa.update(tokens).where(tokens.c.id == token_id).values(created_by=maker)
            )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint("fk_api_tokens_created_by_users", type_="foreignkey")
        batch_op.drop_column("created_by")
