"""Repositories round-trip records through the database and keep each write atomic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scorm_player.packaging import Edition, ScormVersion
from scorm_player.storage import db
from scorm_player.storage.models import CourseVersionEntity, RegistrationEntity
from scorm_player.storage.records import NewVersion
from scorm_player.storage.repositories import (
    CourseRepository,
    RegistrationRepository,
    UserRepository,
)

PACKAGE = {"identifier": "pkg", "title": "Étude — «unicode»", "organizations": [{"items": []}]}
REPORT = {"errors": [], "warnings": [{"code": "version_guessed", "line": 3}]}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_maker(engine: Engine) -> sessionmaker[Session]:
    return db.make_session_factory(engine)


@pytest.fixture
def courses(session_maker: sessionmaker[Session]) -> CourseRepository:
    return CourseRepository(session_maker)


def new_version(**changes: object) -> NewVersion:
    version = NewVersion(
        title="Golf Explained",
        scorm_version=ScormVersion.SCORM_2004,
        edition=Edition.FOURTH,
        sco_count=3,
        package_data=PACKAGE,
        report_data=REPORT,
        file_count=12,
        byte_count=5 * 1024**3,  # beyond 32 bits
        source_filename="golf.zip",
        sha256="ab" * 32,
    )
    return replace(version, **changes)  # type: ignore[arg-type]


def place(course_id: str, number: int) -> str:
    return f"{course_id}/v{number}"


def test_users_round_trip(session_maker: sessionmaker[Session]) -> None:
    users = UserRepository(session_maker)
    created = users.add("ada", "hash", "designer")

    assert users.get(created.id) == created
    assert users.get_by_username("ada") == created
    assert users.get_by_username("nobody") is None
    assert created.created_at.tzinfo is not None
    assert users.count() == 1
    users.set_password_hash(created.id, "new hash")
    assert users.get(created.id).password_hash == "new hash"  # type: ignore[union-attr]


def test_usernames_are_unique(session_maker: sessionmaker[Session]) -> None:
    users = UserRepository(session_maker)
    users.add("ada", "hash", "designer")
    with pytest.raises(IntegrityError):
        users.add("ada", "other", "admin")


def test_a_course_version_round_trips(courses: CourseRepository) -> None:
    version = courses.add_version("golf-1", new_version(), place, create=True)
    assert version is not None

    course = courses.get("golf-1")
    assert course is not None
    assert course.title == "Golf Explained"
    assert course.latest_version == 1
    assert course.latest == version
    stored = course.versions[0]
    assert stored.package_data == PACKAGE
    assert stored.report_data == REPORT
    assert stored.edition is Edition.FOURTH
    assert stored.byte_count == 5 * 1024**3
    assert stored.file_root == "golf-1/v1"
    assert isinstance(stored.imported_at, datetime) and stored.imported_at.tzinfo is not None
    assert stored.version_label == "SCORM 2004 4th Edition"
    assert courses.file_root("golf-1", 1) == "golf-1/v1"
    assert courses.file_root("golf-1", 2) is None
    assert courses.find_version_by_sha256("ab" * 32) == version


def test_a_new_version_takes_the_next_number_and_the_title(courses: CourseRepository) -> None:
    courses.add_version("golf-1", new_version(), place, create=True)
    second = courses.add_version(
        "golf-1", new_version(title="Golf, revised", edition=None), place, create=False
    )

    assert second is not None and second.number == 2
    course = courses.get("golf-1")
    assert course is not None
    assert [v.number for v in course.versions] == [1, 2]
    assert course.latest_version == 2
    assert course.title == "Golf, revised"


def test_adding_a_version_to_a_missing_course_answers_none(courses: CourseRepository) -> None:
    assert courses.add_version("nope", new_version(), place, create=False) is None
    assert courses.list() == []


def test_a_failure_while_placing_files_writes_nothing(courses: CourseRepository) -> None:
    def fail(course_id: str, number: int) -> str:
        raise OSError("disk full")

    with pytest.raises(OSError):
        courses.add_version("golf-1", new_version(), fail, create=True)
    assert courses.get("golf-1") is None


def test_list_puts_the_most_recently_imported_first(courses: CourseRepository) -> None:
    courses.add_version("first", new_version(title="First"), place, create=True)
    courses.add_version("second", new_version(title="Second"), place, create=True)
    courses.add_version("first", new_version(title="First again"), place, create=False)

    assert [c.id for c in courses.list()] == ["first", "second"]


def test_registrations_stay_on_the_version_they_started(
    courses: CourseRepository, session_maker: sessionmaker[Session]
) -> None:
    registrations = RegistrationRepository(session_maker)
    courses.add_version("golf-1", new_version(), place, create=True)
    alice = registrations.find_or_create("golf-1", "alice", "Alice")
    courses.add_version("golf-1", new_version(), place, create=False)

    again = registrations.find_or_create("golf-1", "alice", "Alice Liddell")
    bob = registrations.find_or_create("golf-1", "bob", "Bob")

    assert alice is not None and again is not None and bob is not None
    assert alice.version_number == 1
    assert again.id == alice.id and again.version_number == 1
    assert bob.version_number == 2
    assert again.learner.name == "Alice Liddell"  # the host system's latest name wins
    assert registrations.find_or_create("nope", "alice", "Alice") is None
    assert registrations.count_for_course("golf-1") == 2


def test_delete_removes_versions_and_registrations(
    courses: CourseRepository, session_maker: sessionmaker[Session]
) -> None:
    registrations = RegistrationRepository(session_maker)
    courses.add_version("golf-1", new_version(), place, create=True)
    courses.add_version("other", new_version(), place, create=True)
    registrations.find_or_create("golf-1", "alice", "Alice")

    deleted = courses.delete("golf-1")

    assert deleted is not None and deleted.id == "golf-1"
    assert courses.get("golf-1") is None
    assert courses.get("other") is not None
    assert courses.delete("golf-1") is None
    with session_maker() as session:
        assert session.scalar(select(func.count()).select_from(RegistrationEntity)) == 0
        assert session.scalar(select(func.count()).select_from(CourseVersionEntity)) == 1


def test_foreign_keys_are_enforced(session_maker: sessionmaker[Session]) -> None:
    """On SQLite too: the connect event switches them on."""
    with pytest.raises(IntegrityError):
        with session_maker.begin() as session:
            session.add(
                RegistrationEntity(course_version_id=999, learner_id=999, created_at=datetime.now())
            )
