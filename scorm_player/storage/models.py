"""SQLAlchemy entities: the tables, and nothing but the tables.

Nothing outside ``storage`` sees these classes: repositories turn them into the domain
dataclasses of :mod:`scorm_player.storage.records`. Every change here needs a new Alembic
migration in ``storage/migrations/versions`` (a test compares the two).

Types are chosen to behave the same on SQLite and PostgreSQL: ``JSON`` (``JSONB`` on
PostgreSQL), timezone-aware timestamps stored in UTC, bounded strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, MetaData, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JSONDocument = JSON().with_variant(JSONB(), "postgresql")

# Named constraints, so later migrations can drop or alter them by name on every backend
# (SQLite's batch mode needs the names too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSONDocument,
    }


class UserEntity(Base):
    """A designer (or admin) account for the designer pages; not a learner."""

    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class CourseEntity(Base):
    """A course: a stable id that successive package versions are imported under."""

    __tablename__ = "course"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]
    latest_version: Mapped[int]

    versions: Mapped[list[CourseVersionEntity]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CourseVersionEntity.number",
    )


class CourseVersionEntity(Base):
    """One imported package of a course. Its files live in ``<data dir>/<file_root>``."""

    __tablename__ = "course_version"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    scorm_version: Mapped[str] = mapped_column(String(8))
    edition: Mapped[str | None] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(500))
    sco_count: Mapped[int]
    package: Mapped[dict[str, Any]]
    report: Mapped[dict[str, Any]]
    file_root: Mapped[str] = mapped_column(String(255))
    file_count: Mapped[int]
    byte_count: Mapped[int] = mapped_column(BigInteger)
    imported_at: Mapped[datetime]
    source_filename: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)

    course: Mapped[CourseEntity] = relationship(back_populates="versions")


class LearnerEntity(Base):
    """A learner as the host system knows them: its id and a display name."""

    __tablename__ = "learner"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class RegistrationEntity(Base):
    """A learner enrolled on one course *version*: their records stay with that version."""

    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(
        ForeignKey("course_version.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
