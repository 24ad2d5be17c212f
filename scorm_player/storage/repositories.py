"""Repositories: one class per aggregate, each method one transaction.

A repository takes a ``sessionmaker`` and hands back the records of
:mod:`scorm_player.storage.records`. Tests build them on a throwaway database with no Flask
around; the web app gets them from ``create_app``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from scorm_player.packaging import Edition, ScormVersion
from scorm_player.storage.models import (
    CourseEntity,
    CourseVersionEntity,
    LearnerEntity,
    RegistrationEntity,
    UserEntity,
)
from scorm_player.storage.records import (
    Course,
    CourseVersion,
    Learner,
    NewVersion,
    Registration,
    User,
)

PlaceFiles = Callable[[str, int], str]
"""Called with (course id, version number) once the number is decided; returns the file root."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class UserRepository:
    def __init__(self, session_maker: sessionmaker[Session]) -> None:
        self._session_maker = session_maker

    def add(self, username: str, password_hash: str, role: str) -> User:
        with self._session_maker.begin() as session:
            entity = UserEntity(
                username=username, password_hash=password_hash, role=role, created_at=utcnow()
            )
            session.add(entity)
            session.flush()
            return _user(entity)

    def get(self, user_id: int) -> User | None:
        with self._session_maker() as session:
            entity = session.get(UserEntity, user_id)
            return _user(entity) if entity else None

    def get_by_username(self, username: str) -> User | None:
        with self._session_maker() as session:
            entity = session.scalars(
                select(UserEntity).where(UserEntity.username == username)
            ).one_or_none()
            return _user(entity) if entity else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self._session_maker.begin() as session:
            entity = session.get_one(UserEntity, user_id)
            entity.password_hash = password_hash

    def count(self) -> int:
        with self._session_maker() as session:
            return session.scalar(select(func.count()).select_from(UserEntity)) or 0


class CourseRepository:
    def __init__(self, session_maker: sessionmaker[Session]) -> None:
        self._session_maker = session_maker

    def list(self) -> list[Course]:
        """Every course with its versions, most recently updated first."""
        with self._session_maker() as session:
            entities = session.scalars(
                select(CourseEntity).options(selectinload(CourseEntity.versions))
            ).all()
            courses = [_course(entity) for entity in entities]
        return sorted(courses, key=_last_imported, reverse=True)

    def get(self, course_id: str) -> Course | None:
        with self._session_maker() as session:
            entity = session.scalars(
                select(CourseEntity)
                .where(CourseEntity.id == course_id)
                .options(selectinload(CourseEntity.versions))
            ).one_or_none()
            return _course(entity) if entity else None

    def file_root(self, course_id: str, number: int) -> str | None:
        """Only the folder of a version: content requests ask for it on every file."""
        with self._session_maker() as session:
            return session.scalar(
                select(CourseVersionEntity.file_root).where(
                    CourseVersionEntity.course_id == course_id,
                    CourseVersionEntity.number == number,
                )
            )

    def get_version(self, version_id: int) -> CourseVersion | None:
        with self._session_maker() as session:
            entity = session.get(CourseVersionEntity, version_id)
            return _version(entity) if entity else None

    def set_policy(self, course_id: str, policy: str | None) -> bool:
        """Set the course's run-time compatibility policy (``None``: the global setting)."""
        return self._set(course_id, compat_policy=policy)

    def set_launch_window(self, course_id: str, window: str | None) -> bool:
        """Set where the course's SCOs open by default (``None``: the player's own default)."""
        return self._set(course_id, launch_window=window)

    def _set(self, course_id: str, **values: str | None) -> bool:
        """Write course settings; ``False``: no such course."""
        with self._session_maker.begin() as session:
            entity = session.get(CourseEntity, course_id)
            if entity is None:
                return False
            for name, value in values.items():
                setattr(entity, name, value)
            return True

    def find_version_by_sha256(self, sha256: str) -> CourseVersion | None:
        """The first version imported from a zip with this digest (used to skip re-imports)."""
        with self._session_maker() as session:
            entity = session.scalars(
                select(CourseVersionEntity)
                .where(CourseVersionEntity.sha256 == sha256)
                .order_by(CourseVersionEntity.id)
                .limit(1)
            ).first()
            return _version(entity) if entity else None

    def add_version(
        self, course_id: str, new: NewVersion, place_files: PlaceFiles, *, create: bool
    ) -> CourseVersion | None:
        """Add version N+1 of a course (``create``: the course itself, as version 1).

        The course row is locked while ``place_files`` runs, so two imports of the same course
        cannot both claim the same number or folder, and a folder already at that place can
        only be a leftover of a crash. If ``place_files`` or the commit fails, nothing is
        written; the caller removes any files it placed. ``None``: ``create`` is false and
        there is no such course.
        """
        with self._session_maker.begin() as session:
            if create:
                course = CourseEntity(
                    id=course_id, title=new.title, created_at=utcnow(), latest_version=0
                )
                session.add(course)
                session.flush()  # a clashing id fails here, before any file moves
            else:
                # A no-op UPDATE takes the row lock on PostgreSQL and the write lock on SQLite
                # (where SELECT ... FOR UPDATE does not exist), before the number is read.
                locked = session.execute(
                    update(CourseEntity)
                    .where(CourseEntity.id == course_id)
                    .values(latest_version=CourseEntity.latest_version)
                    .execution_options(synchronize_session=False)
                )
                if locked.rowcount == 0:
                    return None
                course = session.get_one(CourseEntity, course_id)
            number = course.latest_version + 1
            file_root = place_files(course_id, number)
            entity = CourseVersionEntity(
                course_id=course_id,
                number=number,
                scorm_version=new.scorm_version.value,
                edition=new.edition.value if new.edition else None,
                title=new.title,
                sco_count=new.sco_count,
                package=new.package_data,
                report=new.report_data,
                file_root=file_root,
                file_count=new.file_count,
                byte_count=new.byte_count,
                imported_at=utcnow(),
                source_filename=new.source_filename,
                sha256=new.sha256,
            )
            session.add(entity)
            course.latest_version = number
            course.title = new.title
            session.flush()
            return _version(entity)

    def delete(self, course_id: str) -> Course | None:
        """Delete a course, its versions and their registrations; return what was deleted."""
        with self._session_maker.begin() as session:
            entity = session.scalars(
                select(CourseEntity)
                .where(CourseEntity.id == course_id)
                .options(selectinload(CourseEntity.versions))
            ).one_or_none()
            if entity is None:
                return None
            course = _course(entity)
            session.execute(delete(CourseEntity).where(CourseEntity.id == course_id))
            return course


class RegistrationRepository:
    def __init__(self, session_maker: sessionmaker[Session]) -> None:
        self._session_maker = session_maker

    def find_or_create(
        self, course_id: str, external_id: str, name: str, *, preview: bool = False
    ) -> Registration | None:
        """The learner's registration on any version of the course, else a new one on the latest.

        A learner who started version 1 keeps version 1 after the course is re-imported; only
        learners new to the course start on the latest version. A ``preview`` registration (a
        designer's browse-mode preview) is kept apart from the learner's own and always
        follows the latest version. ``None``: no such course.
        """
        with self._session_maker.begin() as session:
            course = session.get(CourseEntity, course_id)
            if course is None:
                return None
            learner = session.scalars(
                select(LearnerEntity).where(LearnerEntity.external_id == external_id)
            ).one_or_none()
            if learner is None:
                learner = LearnerEntity(external_id=external_id, name=name, created_at=utcnow())
                session.add(learner)
                session.flush()
            elif name and learner.name != name:
                learner.name = name
            found = (
                select(RegistrationEntity, CourseVersionEntity.number)
                .join(CourseVersionEntity)
                .where(
                    CourseVersionEntity.course_id == course_id,
                    RegistrationEntity.learner_id == learner.id,
                    RegistrationEntity.preview == preview,
                )
                .order_by(RegistrationEntity.id)
                .limit(1)
            )
            if preview:
                found = found.where(CourseVersionEntity.number == course.latest_version)
            row = session.execute(found).first()
            if row is not None:
                registration, number = row
                return _registration(registration, course_id, number, learner)
            version = session.scalars(
                select(CourseVersionEntity).where(
                    CourseVersionEntity.course_id == course_id,
                    CourseVersionEntity.number == course.latest_version,
                )
            ).one()
            registration = RegistrationEntity(
                course_version_id=version.id, learner_id=learner.id, created_at=utcnow(),
                preview=preview,
            )
            session.add(registration)
            session.flush()
            return _registration(registration, course_id, version.number, learner)

    def count_for_course(self, course_id: str) -> int:
        with self._session_maker() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(RegistrationEntity)
                    .join(CourseVersionEntity)
                    .where(CourseVersionEntity.course_id == course_id)
                )
                or 0
            )


# --- Entity -> record ----------------------------------------------------------------------


def _user(entity: UserEntity) -> User:
    return User(
        id=entity.id,
        username=entity.username,
        role=entity.role,
        created_at=_aware(entity.created_at),
        password_hash=entity.password_hash,
    )


def _course(entity: CourseEntity) -> Course:
    return Course(
        id=entity.id,
        title=entity.title,
        created_at=_aware(entity.created_at),
        latest_version=entity.latest_version,
        versions=tuple(_version(v) for v in entity.versions),
        compat_policy=entity.compat_policy,
        launch_window=entity.launch_window,
    )


def _version(entity: CourseVersionEntity) -> CourseVersion:
    return CourseVersion(
        id=entity.id,
        course_id=entity.course_id,
        number=entity.number,
        scorm_version=ScormVersion(entity.scorm_version),
        edition=Edition(entity.edition) if entity.edition else None,
        title=entity.title,
        sco_count=entity.sco_count,
        file_root=entity.file_root,
        file_count=entity.file_count,
        byte_count=entity.byte_count,
        imported_at=_aware(entity.imported_at),
        source_filename=entity.source_filename,
        sha256=entity.sha256,
        package_data=entity.package,
        report_data=entity.report,
    )


def _registration(
    entity: RegistrationEntity, course_id: str, number: int, learner: LearnerEntity
) -> Registration:
    return Registration(
        id=entity.id,
        course_id=course_id,
        course_version_id=entity.course_version_id,
        version_number=number,
        learner=Learner(id=learner.id, external_id=learner.external_id, name=learner.name),
        created_at=_aware(entity.created_at),
        preview=entity.preview,
    )


def _last_imported(course: Course) -> datetime:
    latest = course.latest
    return latest.imported_at if latest else course.created_at
