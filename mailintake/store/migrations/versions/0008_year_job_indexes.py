"""indexes for the year jobs: the foreign keys erasure deletes through, and the dates retention and the report select by

Without an index on a referencing column, every deleted row scans the table
that points at it (the foreign-key check); retention and the report select by
date ranges, and the queue sorts by `cases.received_at`.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

INDEXES = (
    ('messages', 'ix_messages_duplicate_of_id', ['duplicate_of_id']),
    ('messages', 'ix_messages_outcome_first_seen_at', ['outcome', 'first_seen_at']),
    ('outbox', 'ix_outbox_answers_id', ['answers_id']),
    ('attachments', 'ix_attachments_sha256', ['sha256']),
    ('audit_log', 'ix_audit_log_message_record_id', ['message_record_id']),
    ('cases', 'ix_cases_merged_into_id', ['merged_into_id']),
    ('cases', 'ix_cases_received_at', ['received_at']),
    ('cases', 'ix_cases_decided_at', ['decided_at']),
    ('case_statistics', 'ix_case_statistics_decided_year', ['decided_year']),
    ('case_statistics', 'ix_case_statistics_closed_year', ['closed_year']),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
