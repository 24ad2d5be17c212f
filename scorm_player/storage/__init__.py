"""Storage: SQLAlchemy entities, repositories and Alembic migrations.

The only layer that knows SQL. Everything else gets repositories (``repositories.py``) and
the frozen records they return (``records.py``).
"""

from scorm_player.storage.db import ensure_schema, make_engine, make_session_factory, upgrade
from scorm_player.storage.repositories import (
    CourseRepository,
    RegistrationRepository,
    UserRepository,
)
from scorm_player.storage.tracking import TrackingRepository

__all__ = [
    "CourseRepository",
    "RegistrationRepository",
    "TrackingRepository",
    "UserRepository",
    "ensure_schema",
    "make_engine",
    "make_session_factory",
    "upgrade",
]
