"""The schema check every command makes reads the revision without alembic; it must agree with alembic."""

from __future__ import annotations

import pytest
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory

from mailintake.errors import SchemaOutdatedError
from mailintake.store.database import Database, _alembic_config, head_revision


def test_head_revision_from_the_file_names_is_alembics_head():
    config: AlembicConfig = _alembic_config("sqlite://")
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_an_empty_database_is_refused_until_upgraded(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/m.sqlite")
    assert database.current_revision() is None
    with pytest.raises(SchemaOutdatedError, match="db upgrade"):
        database.require_current_schema()
    database.upgrade()
    assert database.current_revision() == head_revision()
    database.require_current_schema()


def test_an_older_schema_is_refused_with_its_revision(tmp_path):
    database = Database(f"sqlite:///{tmp_path}/m.sqlite")
    database.upgrade("0005")
    with pytest.raises(SchemaOutdatedError, match="at 0005"):
        database.require_current_schema()


def test_the_migrations_build_the_schema_the_models_declare(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mailintake.store.models import Base

    database = Database(f"sqlite:///{tmp_path}/m.sqlite")
    database.upgrade()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # the full-text index (store/search) is an FTS5 virtual table with its shadow tables, kept outside the models
    differences = [d for d in differences if not (d[0] == "remove_table" and d[1].name.startswith("case_search"))]
    assert differences == []
