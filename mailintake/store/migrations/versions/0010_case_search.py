"""the full-text index of case files (store/search): FTS5 on SQLite, tsvector + GIN on PostgreSQL, built for existing cases

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from mailintake.store import search

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE case_search USING fts5(names, terms, "
                   "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
    else:
        op.execute("CREATE TABLE case_search (case_id INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE, "
                   "document TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_case_search_document ON case_search USING GIN (document)")
    _build(bind)


def _build(bind) -> None:
    """An entry for every case already there, a batch at a time."""
    session = Session(bind=bind)
    ids = list(session.scalars(sa.text("SELECT id FROM cases ORDER BY id")))
    for start in range(0, len(ids), BATCH):
        search.rewrite(session, ids[start:start + BATCH])
    session.flush()


def downgrade() -> None:
    op.execute("DROP TABLE case_search")
