"""Course use cases: import a package (as a new course or a new version), list, show, delete.

Files and rows change together or not at all. A package is extracted into a staging folder
inside the data folder (same file system, so the final move is an atomic rename); it is moved
to ``<data dir>/<course id>/v<N>/`` only once the database has given it the number N, inside
the transaction that records it. A rejected package leaves neither files nor rows, and a
database failure removes the files it had placed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from scorm_player.datamodel.policy import POLICIES
from scorm_player.packaging import ImportLimits, ImportReport, PackageRejected, import_package
from scorm_player.services.errors import CourseNotFound, InvalidInput
from scorm_player.storage.records import Course, CourseVersion, NewVersion
from scorm_player.storage.repositories import CourseRepository

log = logging.getLogger(__name__)

STAGING_DIR = ".staging"  # course ids never start with a dot, so it cannot clash
_CHUNK = 1024 * 1024

Source = str | os.PathLike[str] | BinaryIO


@dataclass(frozen=True)
class ImportOutcome:
    """A successful import: the course as it now is, the new version and its report.

    ``reused`` is true when an identical zip had been imported before and was not imported
    again (only when the caller asked for that, as ``scorm-player demo`` does).
    """

    course: Course
    version: CourseVersion
    report: ImportReport
    reused: bool = False


class CourseService:
    def __init__(self, courses: CourseRepository, data_dir: Path, limits: ImportLimits) -> None:
        self._courses = courses
        self._data_dir = data_dir
        self._limits = limits

    # --- Queries ------------------------------------------------------------------------

    def list(self) -> list[Course]:
        return self._courses.list()

    def get(self, course_id: str) -> Course:
        course = self._courses.get(course_id)
        if course is None:
            raise CourseNotFound(course_id)
        return course

    def version_dir(self, version: CourseVersion) -> Path:
        """Where a version's files are (the package root: launch URLs resolve against it)."""
        return self._data_dir.joinpath(*version.file_root.split("/"))

    def content_dir(self, course_id: str, number: int) -> Path | None:
        """The files folder of version ``number`` of a course, or None if there is none."""
        root = self._courses.file_root(course_id, number)
        return self._data_dir.joinpath(*root.split("/")) if root else None

    def set_policy(self, course_id: str, policy: str | None) -> Course:
        """Set the course's run-time compatibility policy (``None``: follow the setting).

        :raises InvalidInput: an unknown policy name. :raises CourseNotFound:
        """
        if policy is not None and policy not in POLICIES:
            raise InvalidInput(f"The policy must be one of {', '.join(sorted(POLICIES))}.")
        if not self._courses.set_policy(course_id, policy):
            raise CourseNotFound(course_id)
        return self.get(course_id)

    def set_launch_window(self, course_id: str, window: str | None) -> Course:
        """Set where the course's SCOs open by default: ``same`` window (embedded), ``new``
        window, or ``None`` (the player's default, the same window). A launch link's
        ``?window=`` wins over it.

        :raises InvalidInput: another value. :raises CourseNotFound:
        """
        if window is not None and window not in ("same", "new"):
            raise InvalidInput("The launch window must be same or new.")
        if not self._courses.set_launch_window(course_id, window):
            raise CourseNotFound(course_id)
        return self.get(course_id)

    # --- Import -------------------------------------------------------------------------

    def import_zip(
        self,
        source: Source,
        *,
        course_id: str | None = None,
        filename: str | None = None,
        reuse_identical: bool = False,
    ) -> ImportOutcome:
        """Import a zip as a new course, or as the next version of ``course_id``.

        :param filename: the name the author gave the zip (kept for the version's record).
        :param reuse_identical: return the existing version when a zip with the same SHA-256
            was imported before, instead of importing it again.
        :raises PackageRejected: the package has errors (nothing was kept).
        :raises CourseNotFound: ``course_id`` names no course.
        """
        if course_id is not None:
            self.get(course_id)  # fail before the expensive part
        if filename is None and not hasattr(source, "read"):
            filename = Path(os.fspath(source)).name  # type: ignore[arg-type]
        digest = _sha256(source)
        if reuse_identical:
            existing = self._courses.find_version_by_sha256(digest)
            if existing is not None:
                return ImportOutcome(
                    self.get(existing.course_id), existing, existing.report(), reused=True
                )

        staging = self._data_dir / STAGING_DIR / uuid.uuid4().hex
        staging.parent.mkdir(parents=True, exist_ok=True)
        placed: list[Path] = []
        try:
            result = import_package(source, staging, self._limits)
            file_count, byte_count = _measure(staging)
            package = result.package
            new = NewVersion(
                title=package.title or filename or "Untitled course",
                scorm_version=package.version,
                edition=package.edition,
                sco_count=package.sco_count,
                package_data=package.to_dict(),
                report_data=result.report.to_dict(),
                file_count=file_count,
                byte_count=byte_count,
                source_filename=filename,
                sha256=digest,
            )

            def place_files(target_course: str, number: int) -> str:
                final = self._data_dir / target_course / f"v{number}"
                if final.exists():  # we hold the course lock: a crash's leftover
                    log.warning("removing leftover folder %s", final)
                    shutil.rmtree(final)
                final.parent.mkdir(parents=True, exist_ok=True)
                placed.append(final)
                staging.rename(final)
                return f"{target_course}/v{number}"

            target = course_id or new_course_id(new.title)
            version = self._courses.add_version(
                target, new, place_files, create=course_id is None
            )
            if version is None:  # deleted while we were extracting
                raise CourseNotFound(target)
        except BaseException:
            _remove(staging, *placed)
            if course_id is None:
                for path in placed:  # the course folder was made for this import alone
                    _remove_if_empty(path.parent)
            raise
        return ImportOutcome(self.get(version.course_id), version, result.report)

    # --- Delete -------------------------------------------------------------------------

    def delete(self, course_id: str) -> Course:
        """Delete a course: its rows (versions, registrations) and every file of it.

        The folder is first moved aside; if the database refuses the delete it is moved back,
        so a failure leaves the course whole.
        """
        folder = self._data_dir / course_id
        trash = self._data_dir / STAGING_DIR / f"deleting-{uuid.uuid4().hex}"
        moved = folder.is_dir()
        if moved:
            trash.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(trash)
        try:
            course = self._courses.delete(course_id)
        except BaseException:
            if moved:
                trash.rename(folder)
            raise
        if moved:
            shutil.rmtree(trash, ignore_errors=True)
        if course is None:
            raise CourseNotFound(course_id)
        return course


def new_course_id(title: str) -> str:
    """A short, readable, stable id: the title's slug and a random suffix."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].rstrip("-")
    return f"{slug or 'course'}-{secrets.token_hex(3)}"


def _sha256(source: Source) -> str:
    """Digest the zip without consuming a stream (it is rewound for the importer)."""
    digest = hashlib.sha256()
    if hasattr(source, "read"):
        stream: BinaryIO = source  # type: ignore[assignment]
        start = stream.tell()
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
        stream.seek(start)
    else:
        with open(source, "rb") as handle:  # type: ignore[arg-type]
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _measure(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def _remove(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
