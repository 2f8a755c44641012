"""Storage: the engine and unit of work, the SQLAlchemy models, Alembic migrations, poller locks, lookups."""
