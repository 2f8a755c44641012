"""random public ids for messages: the URLs of raw mail and HTML views are not guessable

Revision ID: 0005
Revises: 0004
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))
    messages = sa.table('messages', sa.column('id', sa.Integer), sa.column('public_id', sa.String))
    connection = op.get_bind()
    ids = [row.id for row in connection.execute(sa.select(messages.c.id))]
    for start in range(0, len(ids), 1000):
        connection.execute(
            messages.update().where(messages.c.id == sa.bindparam('row_id')).values(public_id=sa.bindparam('value')),
            [{'row_id': row_id, 'value': uuid.uuid4().hex} for row_id in ids[start:start + 1000]],
        )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_public_id'), ['public_id'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_public_id'))
        batch_op.drop_column('public_id')
