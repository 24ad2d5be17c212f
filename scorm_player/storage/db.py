"""Engines, sessions and schema migrations.

The schema is only ever built by Alembic migrations (never ``create_all``), so a database made
by ``scorm-player demo`` today upgrades cleanly when a later release adds tables. The
migrations ship inside the package and are located from this file, so an installed wheel can
run them without an ``alembic.ini``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets its folder created and foreign keys switched on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection SQLite settings.

    SQLite ignores foreign keys (and so ON DELETE CASCADE) unless asked per connection. The
    write-ahead log lets the player's reads go on while a commit writes, and with it
    ``synchronous=NORMAL`` is still durable across an application crash (the default FULL
    only adds protection against power loss, at a large cost per commit).
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


_WRITER_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITER_LOCKS_GUARD = threading.Lock()


def writer_lock(engine: Engine) -> contextlib.AbstractContextManager[object]:
    """Queue this process's SQLite writers on a lock instead of in SQLite's busy handler.

    SQLite has one writer at a time. A writer that finds the database locked sleeps in
    SQLite's busy handler in growing steps (up to 100 ms), so under concurrent commits the
    slowest learners wait hundreds of milliseconds for a lock that was free long before. A
    lock in the process hands over at once. Other databases lock rows, so they get no lock.
    """
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _WRITER_LOCKS_GUARD:
        return _WRITER_LOCKS.setdefault(engine, threading.Lock())


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (repositories copy them out)."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration built in code, pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser syntax
    return config


def upgrade(target: Engine | str, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on an engine or a database URL."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine) -> bool:
    """Upgrade to head when the database is behind; answer whether anything ran.

    Cheap when the schema is current (one query), so every CLI command and app start can
    call it: "upgrade on first use".
    """
    if current_revision(engine) == head_revision():
        return False
    upgrade(engine)
    return True
