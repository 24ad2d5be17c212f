"""Importing, re-importing and deleting courses keeps files and rows in step."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from scorm_player.packaging import PackageRejected, ScormVersion, inspect_package
from scorm_player.services import CourseNotFound, Services
from scorm_player.services.courses import STAGING_DIR, new_course_id
from scorm_player.storage.repositories import CourseRepository
from tests.helpers import files_under

SINGLE = "scorm12-single-sco"
MULTI = "scorm12-multi-sco"
BAD = "bad-missing-launch-file"


def test_import_creates_version_1_with_its_files(
    services: Services, package_zip: Any, data_dir: Path
) -> None:
    zip_path = package_zip(SINGLE)

    outcome = services.courses.import_zip(zip_path)

    version = outcome.version
    assert (version.number, outcome.course.latest_version) == (1, 1)
    assert version.scorm_version is ScormVersion.SCORM_12
    assert version.source_filename == zip_path.name
    assert len(version.sha256) == 64
    folder = data_dir / version.course_id / "v1"
    assert services.courses.version_dir(version) == folder
    assert (folder / "imsmanifest.xml").is_file()
    assert version.file_count == len(files_under(folder))
    assert version.byte_count == sum(p.stat().st_size for p in files_under(folder))
    assert files_under(data_dir / STAGING_DIR) == []


def test_the_stored_model_is_the_parsed_package(services: Services, package_zip: Any) -> None:
    zip_path = package_zip(MULTI)
    expected = inspect_package(zip_path).package

    version = services.courses.import_zip(zip_path).version

    assert version.package().to_dict() == expected.to_dict()
    assert version.title == expected.title
    assert version.sco_count == expected.sco_count
    assert services.courses.get(version.course_id).latest == version


def test_import_from_a_stream(services: Services, package_zip: Any) -> None:
    data = io.BytesIO(package_zip(SINGLE).read_bytes())

    outcome = services.courses.import_zip(data, filename="upload.zip")

    assert outcome.version.source_filename == "upload.zip"


def test_reimport_makes_version_2_and_learners_keep_their_version(
    services: Services, package_zip: Any, data_dir: Path
) -> None:
    first = services.courses.import_zip(package_zip(SINGLE)).version
    alice = services.registrations.register(first.course_id, "alice", "Alice")

    second = services.courses.import_zip(package_zip(MULTI), course_id=first.course_id).version

    assert (second.course_id, second.number) == (first.course_id, 2)
    assert (data_dir / first.course_id / "v1" / "imsmanifest.xml").is_file()
    assert (data_dir / first.course_id / "v2" / "imsmanifest.xml").is_file()
    course = services.courses.get(first.course_id)
    assert [v.number for v in course.versions] == [1, 2]
    assert course.title == second.title
    assert alice.version_number == 1
    assert services.registrations.register(first.course_id, "alice", "Alice").id == alice.id
    assert services.registrations.register(first.course_id, "alice", "").version_number == 1
    bob = services.registrations.register(first.course_id, "bob", "Bob")
    assert (bob.version_number, bob.course_version_id) == (2, second.id)


def test_reimport_into_an_unknown_course_is_refused(
    services: Services, package_zip: Any, data_dir: Path
) -> None:
    with pytest.raises(CourseNotFound):
        services.courses.import_zip(package_zip(SINGLE), course_id="no-such-course")
    assert files_under(data_dir) == []


def test_reuse_identical_returns_the_earlier_version(services: Services, package_zip: Any) -> None:
    zip_path = package_zip(SINGLE)
    first = services.courses.import_zip(zip_path, reuse_identical=True)
    again = services.courses.import_zip(zip_path, reuse_identical=True)

    assert (first.reused, again.reused) == (False, True)
    assert again.version == first.version
    assert len(services.courses.list()) == 1


def test_a_rejected_package_leaves_no_files_and_no_rows(
    services: Services, package_zip: Any, data_dir: Path
) -> None:
    with pytest.raises(PackageRejected) as rejected:
        services.courses.import_zip(package_zip(BAD))

    assert "launch_file_missing" in rejected.value.report.codes()
    assert services.courses.list() == []
    assert files_under(data_dir) == []


def test_a_file_that_is_not_a_zip_leaves_nothing(services: Services, data_dir: Path) -> None:
    with pytest.raises(PackageRejected):
        services.courses.import_zip(io.BytesIO(b"this is not a zip"), filename="x.zip")
    assert services.courses.list() == []
    assert files_under(data_dir) == []


def test_a_rejected_new_version_leaves_the_course_as_it_was(
    services: Services, package_zip: Any, data_dir: Path
) -> None:
    first = services.courses.import_zip(package_zip(SINGLE)).version
    before = files_under(data_dir)

    with pytest.raises(PackageRejected):
        services.courses.import_zip(package_zip(BAD), course_id=first.course_id)

    assert services.courses.get(first.course_id).latest_version == 1
    assert files_under(data_dir) == before


def test_a_database_failure_after_the_files_moved_removes_them(
    services: Services, package_zip: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = CourseRepository.add_version
    placed: list[str] = []

    def fail_after_placing(self: CourseRepository, course_id: str, new: Any, place: Any, **kw: Any):
        def place_then_fail(target: str, number: int) -> str:
            placed.append(place(target, number))
            raise RuntimeError("the database went away")

        return real(self, course_id, new, place_then_fail, **kw)

    monkeypatch.setattr(CourseRepository, "add_version", fail_after_placing)

    with pytest.raises(RuntimeError):
        services.courses.import_zip(package_zip(SINGLE))

    assert placed, "the files were moved into place before the failure"
    assert services.courses.list() == []
    assert files_under(data_dir) == []
    assert not (data_dir / placed[0].split("/")[0]).exists()


def test_a_failing_insert_removes_the_files(
    services: Services, package_zip: Any, data_dir: Path
) -> None:
    first = services.courses.import_zip(package_zip(SINGLE)).version
    before = files_under(data_dir)
    with services.engine.begin() as connection:  # break the schema under the service
        connection.execute(text("ALTER TABLE course_version RENAME COLUMN sha256 TO digest"))

    with pytest.raises(Exception):
        services.courses.import_zip(package_zip(MULTI), course_id=first.course_id)

    assert files_under(data_dir) == before
    assert not (data_dir / first.course_id / "v2").exists()


def test_delete_removes_rows_and_files(
    services: Services, package_zip: Any, data_dir: Path
) -> None:
    kept = services.courses.import_zip(package_zip(MULTI)).version
    gone = services.courses.import_zip(package_zip(SINGLE)).version
    services.courses.import_zip(package_zip(SINGLE), course_id=gone.course_id)
    services.registrations.register(gone.course_id, "alice", "Alice")

    deleted = services.courses.delete(gone.course_id)

    assert deleted.id == gone.course_id and len(deleted.versions) == 2
    assert [c.id for c in services.courses.list()] == [kept.course_id]
    assert not (data_dir / gone.course_id).exists()
    assert (data_dir / kept.course_id / "v1").is_dir()
    with pytest.raises(CourseNotFound):
        services.courses.delete(gone.course_id)
    with pytest.raises(CourseNotFound):
        services.registrations.register(gone.course_id, "alice", "Alice")


def test_a_failed_delete_keeps_the_files(
    services: Services, package_zip: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = services.courses.import_zip(package_zip(SINGLE)).version
    before = files_under(data_dir)

    def broken(self: CourseRepository, course_id: str) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(CourseRepository, "delete", broken)
    with pytest.raises(RuntimeError):
        services.courses.delete(version.course_id)

    assert files_under(data_dir) == before


@pytest.mark.parametrize(
    ("title", "prefix"),
    [
        ("Golf Explained", "golf-explained-"),
        ("Éthique & Conformité 2024", "ethique-conformite-2024-"),
        ("中文课程", "course-"),
        ("", "course-"),
        ("x" * 200, "x" * 40 + "-"),
    ],
)
def test_course_ids_are_readable_slugs(title: str, prefix: str) -> None:
    course_id = new_course_id(title)
    assert course_id.startswith(prefix)
    assert len(course_id) == len(prefix) + 6
    assert new_course_id(title) != course_id
