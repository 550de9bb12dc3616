"""ats sync: a mirrored ATS (its address and key), how far each listing was read, and which
local row each of the vendor's records is

Revision ID: 0015_ats9
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015_ats9'
down_revision: str | Sequence[str] | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ats_external_ids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('vendor', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('local_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'vendor', 'kind', 'external_id', name='uq_ats_external_ids')
    )
    with op.batch_alter_table('ats_external_ids', schema=None) as batch_op:
        batch_op.create_index('ix_ats_external_ids_local', ['org_id', 'kind', 'local_id'], unique=False)

    op.create_table('ats_sync_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('vendor', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('base_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('api_key', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_synced_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'vendor', name='uq_ats_sync_sources_vendor')
    )
    with op.batch_alter_table('ats_sync_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ats_sync_sources_org_id'), ['org_id'], unique=False)

    op.create_table('ats_sync_cursors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('updated_after', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['ats_sync_sources.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'endpoint', name='uq_ats_sync_cursors')
    )


def downgrade() -> None:
    op.drop_table('ats_sync_cursors')
    with op.batch_alter_table('ats_sync_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ats_sync_sources_org_id'))

    op.drop_table('ats_sync_sources')
    with op.batch_alter_table('ats_external_ids', schema=None) as batch_op:
        batch_op.drop_index('ix_ats_external_ids_local')

    op.drop_table('ats_external_ids')
