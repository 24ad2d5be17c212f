"""Alembic environment: run migrations on the connection ``storage.db.upgrade`` hands us.

Configured in code (``storage.db.alembic_config``), with no ``alembic.ini`` and no logging
setup, so running migrations from the CLI or the web app leaves their logging alone. To write a
new migration from a checkout::

    python -m scorm_player.storage.revision "add attempt table"
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from scorm_player.storage.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only ALTER a table by copying it
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("scorm-player migrations run online only (storage.db.upgrade).")
run_migrations_online()
