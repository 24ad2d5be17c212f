"""Tracking storage: the registration lock, shared data keys, and what a course delete takes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from scorm_player.services import Services
from scorm_player.storage import db
from scorm_player.storage.models import AttemptEntity, SharedDataEntity
from scorm_player.storage.tracking import TrackingRepository
from tests.runtime_support import import_course, launch

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def repository(services: Services) -> Iterator[TrackingRepository]:
    yield TrackingRepository(db.make_session_factory(services.engine))


def count(engine: Engine, entity: type) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(entity)) or 0


def test_a_unit_on_a_missing_registration_is_none(repository: TrackingRepository) -> None:
    with repository.unit(999) as unit:
        assert unit is None


def test_shared_data_keys_hold_ids_of_4000_characters(
    services: Services, repository: TrackingRepository, package_zip: Any
) -> None:
    session = launch(services, import_course(services, package_zip, "scorm2004-4th-full"))
    long_ids = {"urn:x:" + "a" * 3994: "first", "urn:x:" + "a" * 3993 + "b": "second"}

    with repository.unit(session.context.registration_id) as unit:
        assert unit is not None
        unit.save_shared_stores("", long_ids, NOW)
    with repository.unit(session.context.registration_id) as unit:
        assert unit is not None
        unit.save_shared_stores("", {"urn:x:" + "a" * 3994: "again"}, NOW)
        assert unit.shared_stores("", long_ids) == {**long_ids, "urn:x:" + "a" * 3994: "again"}
        assert unit.shared_stores("other-course", long_ids) == {}


def test_deleting_a_course_deletes_its_attempts_and_shared_data(
    services: Services, package_zip: Any
) -> None:
    course_id = import_course(services, package_zip, "scorm2004-4th-full")
    launch(services, course_id).commit(("adl.data.1.store", "kept per course"))
    assert count(services.engine, AttemptEntity) == 1
    assert count(services.engine, SharedDataEntity) == 1

    services.courses.delete(course_id)

    assert count(services.engine, AttemptEntity) == 0
    assert count(services.engine, SharedDataEntity) == 0


def test_attempt_ids_are_never_reused(services: Services, package_zip: Any) -> None:
    first = import_course(services, package_zip, "scorm12-single-sco")
    old = launch(services, first)
    services.courses.delete(first)

    new = launch(services, import_course(services, package_zip, "scorm12-single-sco"))

    assert new.attempt_id > old.attempt_id
