"""promises: ids never reused on SQLite (AUTOINCREMENT), pause ends found by index

Revision ID: 0009
Revises: 0010, 0012
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = ("0010", "0012")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: tables whose ids people see, link to or are told about (a deleted automation's id must never
#: name another one). PostgreSQL sequences never go back; SQLite reuses the highest id after a
#: delete unless the table is declared AUTOINCREMENT.
NEVER_REUSED = (
    "automations",
    "automation_runs",
    "notices",
    "outbox",
    "inbox_messages",
    "event_inbox",
    "ats_connections",
    "api_tokens",
    "automation_drafts",
    "sequences",
    "enrolments",
)


def upgrade() -> None:
    op.create_index("ix_automations_paused_until", "automations", ["paused_until"])
    if op.get_bind().dialect.name != "sqlite":
        return
    # the tables are rebuilt (SQLite cannot add AUTOINCREMENT in place); models.migrate runs
    # SQLite migrations with foreign keys off and checks every reference before committing
    for table in NEVER_REUSED:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    op.drop_index("ix_automations_paused_until", table_name="automations")
