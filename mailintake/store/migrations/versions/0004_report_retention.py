"""annual report and retention: anonymous statistical records of erased cases

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import mailintake.store.models

revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_statistics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('service', sa.String(length=20), nullable=True),
    sa.Column('admissible', sa.Boolean(), nullable=True),
    sa.Column('decline_reason', sa.String(length=40), nullable=True),
    sa.Column('redirected_to', sa.String(length=20), nullable=True),
    sa.Column('decided_year', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=True),
    sa.Column('closed_year', sa.Integer(), nullable=True),
    sa.Column('handling_days', sa.Integer(), nullable=True),
    sa.Column('in_time', sa.Boolean(), nullable=True),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('norms', sa.JSON(), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=True),
    sa.Column('erased_at', mailintake.store.models.UTCDateTime(), nullable=False),
    sa.Column('erased_because', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_statistics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_statistics_year'), ['year'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_statistics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_statistics_year'))
    op.drop_table('case_statistics')
