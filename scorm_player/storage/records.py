"""The domain records repositories return: frozen dataclasses, detached from any session.

Services and web pages work with these, never with entities, so nothing outside ``storage``
can trigger a lazy load or an accidental write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scorm_player.packaging import Edition, ImportReport, Package, ScormVersion


@dataclass(frozen=True)
class User:
    """A designer account. ``password_hash`` is a werkzeug.security hash."""

    id: int
    username: str
    role: str
    created_at: datetime
    password_hash: str = field(repr=False, default="")


@dataclass(frozen=True)
class CourseVersion:
    """One imported package of a course, with its stored model and import report."""

    id: int
    course_id: str
    number: int
    scorm_version: ScormVersion
    edition: Edition | None
    title: str
    sco_count: int
    file_root: str  # relative to the data folder, "/"-separated: "<course id>/v<number>"
    file_count: int
    byte_count: int
    imported_at: datetime
    source_filename: str | None
    sha256: str
    package_data: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    report_data: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def version_label(self) -> str:
        if self.scorm_version is ScormVersion.SCORM_12:
            return "SCORM 1.2"
        return f"SCORM 2004 {(self.edition or Edition.THIRD).value} Edition"

    def package(self) -> Package:
        """The package model, rebuilt from its JSON (a method: it costs a rebuild)."""
        return Package.from_dict(self.package_data)

    def report(self) -> ImportReport:
        return ImportReport.from_dict(self.report_data)


@dataclass(frozen=True)
class Course:
    """A course and its versions, oldest first."""

    id: str
    title: str
    created_at: datetime
    latest_version: int
    versions: tuple[CourseVersion, ...] = ()

    @property
    def latest(self) -> CourseVersion | None:
        return self.version(self.latest_version)

    def version(self, number: int) -> CourseVersion | None:
        return next((v for v in self.versions if v.number == number), None)


@dataclass(frozen=True)
class NewVersion:
    """What an import knows about a version before the database gives it a number."""

    title: str
    scorm_version: ScormVersion
    edition: Edition | None
    sco_count: int
    package_data: dict[str, Any]
    report_data: dict[str, Any]
    file_count: int
    byte_count: int
    source_filename: str | None
    sha256: str


@dataclass(frozen=True)
class Learner:
    id: int
    external_id: str
    name: str


@dataclass(frozen=True)
class Registration:
    """A learner on a course version. ``version_number`` is the version they started."""

    id: int
    course_id: str
    course_version_id: int
    version_number: int
    learner: Learner
    created_at: datetime
