"""The schema comes from Alembic migrations, which must match the models on every backend."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from scorm_player.storage import db
from scorm_player.storage.models import Base

TABLES = {
    "user_account", "course", "course_version", "learner", "registration", "attempt",
    "interaction", "objective", "commit_part", "commit_log", "learner_preference", "shared_data",
}


def test_upgrade_builds_an_empty_database_to_head(database_url: str) -> None:
    db.upgrade(database_url)

    engine = db.make_engine(database_url)
    try:
        assert TABLES <= set(inspect(engine).get_table_names())
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()


def test_migrations_match_the_models(database_url: str) -> None:
    engine = db.make_engine(database_url)
    try:
        db.upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_ensure_schema_upgrades_once_then_does_nothing(database_url: str) -> None:
    engine = db.make_engine(database_url)
    try:
        assert db.ensure_schema(engine) is True
        assert db.ensure_schema(engine) is False
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(database_url: str) -> None:
    engine = db.make_engine(database_url)
    try:
        db.upgrade(engine)
        config = db.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        db.upgrade(engine)
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_ship_as_package_files() -> None:
    """setuptools packages only what it can see: ``versions`` must be a package."""
    versions = db.MIGRATIONS_DIR / "versions"
    assert (db.MIGRATIONS_DIR / "__init__.py").is_file()
    assert (versions / "__init__.py").is_file()
    assert (db.MIGRATIONS_DIR / "env.py").is_file()
    assert (db.MIGRATIONS_DIR / "script.py.mako").is_file()
