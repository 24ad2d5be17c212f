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

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
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
    compat_policy: Mapped[str | None] = mapped_column(String(16))  # None: the global setting
    launch_window: Mapped[str | None] = mapped_column(String(8))  # same | new; None: same

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
    # A designer's preview (browse mode): kept out of learners' results.
    preview: Mapped[bool] = mapped_column(server_default=false())
    # Bumped by every launch: a run-time token of an older generation is superseded.
    launch_generation: Mapped[int] = mapped_column(server_default="0")
    current_item: Mapped[str | None] = mapped_column(Text)
    # SCORM 2004 sequencing: the activity tree's tracking state (sequencing.state.TrackingState
    # .to_dict()); None until the first launch, and for SCORM 1.2 courses.
    sequencing_state: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    first_access_at: Mapped[datetime | None]
    last_access_at: Mapped[datetime | None]
    # Normalised summary over the SCOs (services.cmi_rows.summarise).
    completion_status: Mapped[str] = mapped_column(String(16), server_default="not attempted")
    success_status: Mapped[str] = mapped_column(String(16), server_default="unknown")
    score_scaled: Mapped[float | None] = mapped_column(Float)
    score_raw: Mapped[float | None] = mapped_column(Float)
    total_seconds: Mapped[float] = mapped_column(Float, server_default="0")


class AttemptEntity(Base):
    """One attempt on one item (SCO) of a registration: its CMI state and what reports need.

    ``state`` is the full flat CMI state (nothing the SCO set is lost); the other columns are
    normalised copies of it, rewritten by every applied commit. ``status`` is ``active`` (a
    session is open or was abandoned), ``suspended`` (ended with exit=suspend: the next launch
    resumes it) or ``finished`` (the next launch starts attempt ``number + 1``).
    """

    __tablename__ = "attempt"
    # AUTOINCREMENT: SQLite would otherwise give a deleted attempt's id to the next one, and
    # a run-time token still naming it (a tab left open on a deleted course) must not match.
    __table_args__ = (
        UniqueConstraint("registration_id", "item_identifier", "number"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    item_identifier: Mapped[str] = mapped_column(Text)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    last_access_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    acked_seq: Mapped[int]  # the commit high-water mark
    completion_status: Mapped[str] = mapped_column(String(16))
    success_status: Mapped[str] = mapped_column(String(16))
    score_scaled: Mapped[float | None] = mapped_column(Float)
    score_raw: Mapped[float | None] = mapped_column(Float)
    score_min: Mapped[float | None] = mapped_column(Float)
    score_max: Mapped[float | None] = mapped_column(Float)
    progress_measure: Mapped[float | None] = mapped_column(Float)
    total_time: Mapped[str] = mapped_column(String(64))
    total_seconds: Mapped[float] = mapped_column(Float)
    location: Mapped[str | None] = mapped_column(Text)
    suspend_data: Mapped[str | None] = mapped_column(Text)  # 64,000+ characters
    entry: Mapped[str] = mapped_column(String(16))
    exit: Mapped[str | None] = mapped_column(String(16))
    credit: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    nav_request: Mapped[str | None] = mapped_column(Text)  # 2004 adl.nav.request at Terminate
    state: Mapped[dict[str, Any]]
    # This session's facts the LMS rules need at Terminate (status at launch, elements set).
    session_facts: Mapped[dict[str, Any]]


class InteractionEntity(Base):
    """``cmi.interactions.n`` of an attempt, rebuilt from its state by every applied commit."""

    __tablename__ = "interaction"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]  # n
    identifier: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str | None] = mapped_column(String(32))
    timestamp: Mapped[str | None] = mapped_column(Text)  # 1.2 time, 2004 timestamp
    weighting: Mapped[float | None] = mapped_column(Float)
    learner_response: Mapped[str | None] = mapped_column(Text)  # 1.2 student_response
    result: Mapped[str | None] = mapped_column(Text)
    latency: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    objective_ids: Mapped[list[Any]] = mapped_column(JSONDocument)
    correct_responses: Mapped[list[Any]] = mapped_column(JSONDocument)


class ObjectiveEntity(Base):
    """``cmi.objectives.n`` of an attempt, rebuilt from its state by every applied commit."""

    __tablename__ = "objective"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    identifier: Mapped[str | None] = mapped_column(Text)
    completion_status: Mapped[str] = mapped_column(String(16))
    success_status: Mapped[str] = mapped_column(String(16))
    score_scaled: Mapped[float | None] = mapped_column(Float)
    score_raw: Mapped[float | None] = mapped_column(Float)
    score_min: Mapped[float | None] = mapped_column(Float)
    score_max: Mapped[float | None] = mapped_column(Float)
    progress_measure: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)


class CommitPartEntity(Base):
    """One part of a commit split over several requests, kept until all parts arrived."""

    __tablename__ = "commit_part"
    __table_args__ = (UniqueConstraint("attempt_id", "seq", "part_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    seq: Mapped[int]
    part_index: Mapped[int]
    part_count: Mapped[int]
    final: Mapped[bool]
    changes: Mapped[list[Any]] = mapped_column(JSONDocument)
    received_at: Mapped[datetime]


class CommitLogEntity(Base):
    """Audit trail: every batch applied to an attempt, as the client sent it."""

    __tablename__ = "commit_log"
    __table_args__ = (Index("ix_commit_log_attempt_id_seq", "attempt_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    seq: Mapped[int]
    received_at: Mapped[datetime]
    final: Mapped[bool]
    changes: Mapped[list[Any]] = mapped_column(JSONDocument)
    relaxations: Mapped[list[Any]] = mapped_column(JSONDocument)  # policy.Relaxation as dicts


class LearnerPreferenceEntity(Base):
    """A learner's preferences, shared by every course they take.

    ``language`` and ``audio_captioning`` (1.2 ``text``) mean the same in both versions; the
    audio level and speed scales differ, so each version keeps its own.
    """

    __tablename__ = "learner_preference"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True
    )
    # Values as the SCO wrote them (Text: a valid number may carry any number of digits).
    language: Mapped[str | None] = mapped_column(Text)
    audio_captioning: Mapped[str | None] = mapped_column(Text)
    audio_level: Mapped[str | None] = mapped_column(Text)  # 2004, real >= 0
    delivery_speed: Mapped[str | None] = mapped_column(Text)  # 2004, real >= 0
    audio: Mapped[str | None] = mapped_column(Text)  # 1.2, -1..100
    speed: Mapped[str | None] = mapped_column(Text)  # 1.2, -100..100
    updated_at: Mapped[datetime]


class SharedDataEntity(Base):
    """A 4th Edition ``adl.data`` store of one learner, by target id.

    Scoped to the learner across courses when the organization says
    ``sharedDataGlobalToSystem`` (the default: ``scope`` is ``""``, ``course_id`` ``None``),
    else to one attempt of one registration on the course (``course_id`` set, so the rows go
    with the course).
    ``target_key`` is the SHA-256 of the target id, so ids up to 4,000 characters can be
    unique on every backend (a B-tree entry cannot hold them).
    """

    __tablename__ = "shared_data"
    __table_args__ = (UniqueConstraint("learner_id", "scope", "target_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    course_id: Mapped[str | None] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(64))  # "" across courses, else one attempt
    target_key: Mapped[str] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(Text)
    store: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class GlobalObjectiveEntity(Base):
    """A SCORM 2004 shared (global) objective of one learner, by ``targetObjectiveID``.

    Shared across the learner's courses (``scope`` ``""``) when the organization says
    ``objectivesGlobalToSystem`` (the default), else kept to one registration (``scope``
    ``"registration:<id>"``, deleted with it). ``data`` is the objective's progress
    information (``sequencing.state.ObjectiveState.to_dict()``); ``objective_key`` is the
    SHA-256 of the id, so ids of any length can be unique on every backend.
    """

    __tablename__ = "global_objective"
    __table_args__ = (UniqueConstraint("learner_id", "scope", "objective_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(64))
    objective_key: Mapped[str] = mapped_column(String(64))
    objective_id: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
