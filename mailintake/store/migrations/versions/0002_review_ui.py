"""review UI: staff users, login throttle, settings, audit log, decisions, themes, norms, letters

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import mailintake.store.models

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('login_throttle',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', mailintake.store.models.UTCDateTime(), nullable=True),
    sa.Column('locked_until', mailintake.store.models.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sessions_valid_after', mailintake.store.models.UTCDateTime(), nullable=False),
    sa.Column('created_at', mailintake.store.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('case_norms',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('norm', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('case_id', 'norm')
    )
    with op.batch_alter_table('case_norms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_norms_norm'), ['norm'], unique=False)

    op.create_table('case_themes',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('case_id', 'theme')
    )
    with op.batch_alter_table('case_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_themes_theme'), ['theme'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', mailintake.store.models.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('message_record_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_users.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['message_record_id'], ['messages.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postal_address', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('handler_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('admissible', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('decided_at', mailintake.store.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('redirected_to', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('mediation_requested_at', mailintake.store.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('resolved', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('recommendation', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', mailintake.store.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_decline_reason'), ['decline_reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_outcome'), ['outcome'], unique=False)
        batch_op.create_foreign_key('fk_cases_merged_into_id', 'cases', ['merged_into_id'], ['id'])
        batch_op.create_foreign_key('fk_cases_handler_id', 'staff_users', ['handler_id'], ['id'])

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_service', sa.String(length=20), nullable=True))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_outbox_created_by_id', 'staff_users', ['created_by_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outbox_created_by_id', type_='foreignkey')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('body')
        batch_op.drop_column('subject')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('from_service')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint('fk_cases_handler_id', type_='foreignkey')
        batch_op.drop_constraint('fk_cases_merged_into_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cases_outcome'))
        batch_op.drop_index(batch_op.f('ix_cases_decline_reason'))
        batch_op.drop_index(batch_op.f('ix_cases_closed_at'))
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('recommendation')
        batch_op.drop_column('resolved')
        batch_op.drop_column('outcome')
        batch_op.drop_column('mediation_requested_at')
        batch_op.drop_column('redirected_to')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('admissible')
        batch_op.drop_column('handler_id')
        batch_op.drop_column('phone')
        batch_op.drop_column('postal_address')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_case_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    with op.batch_alter_table('case_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_themes_theme'))

    op.drop_table('case_themes')
    with op.batch_alter_table('case_norms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_norms_norm'))

    op.drop_table('case_norms')
    op.drop_table('staff_users')
    op.drop_table('login_throttle')
    op.drop_table('app_settings')
