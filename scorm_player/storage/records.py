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
    compat_policy: str | None = None  # the run-time policy for this course; None: the setting
    launch_window: str | None = None  # "same" or "new" window for the SCO; None: same

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
    preview: bool = False  # a designer's preview: never in learners' results


# --- Run-time tracking ------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """A normalised result: SCORM 2004 vocabularies, whatever version the course is."""

    completion_status: str = "not attempted"  # completed | incomplete | not attempted | unknown
    success_status: str = "unknown"  # passed | failed | unknown
    score_scaled: float | None = None
    score_raw: float | None = None
    total_seconds: float = 0.0


@dataclass(frozen=True)
class RegistrationState:
    """A registration as the run-time sees it: its course version, learner and summary."""

    id: int
    course_id: str
    course_version_id: int
    version_number: int
    learner: Learner
    launch_generation: int
    current_item: str | None
    first_access_at: datetime | None
    last_access_at: datetime | None
    compat_policy: str | None  # the course's own policy; None: the global setting
    summary: Summary
    preview: bool = False  # a designer's preview (browse mode)
    # SCORM 2004 sequencing's tracking state (TrackingState.to_dict()); None: none yet
    sequencing_state: dict[str, Any] | None = None


@dataclass(frozen=True)
class AttemptColumns:
    """What reports read without parsing the CMI state (copied from it on every commit)."""

    completion_status: str
    success_status: str
    total_time: str
    total_seconds: float
    entry: str
    credit: str
    mode: str
    score_scaled: float | None = None
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    progress_measure: float | None = None
    location: str | None = None
    suspend_data: str | None = None
    exit: str | None = None


@dataclass(frozen=True)
class Attempt:
    """One attempt on one item. ``state`` is empty when the attempt was listed, not loaded."""

    id: int
    registration_id: int
    item_identifier: str
    number: int
    status: str  # active | suspended | finished
    started_at: datetime
    last_access_at: datetime
    finished_at: datetime | None
    acked_seq: int
    columns: AttemptColumns
    nav_request: str | None = None
    state: dict[str, str] = field(repr=False, compare=False, default_factory=dict)
    session_facts: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class InteractionRow:
    """``cmi.interactions.n`` (1.2 ``time`` and ``student_response`` under the 2004 names)."""

    position: int
    identifier: str | None = None
    type: str | None = None
    timestamp: str | None = None
    weighting: float | None = None
    learner_response: str | None = None
    result: str | None = None
    latency: str | None = None
    description: str | None = None
    objective_ids: tuple[str, ...] = ()
    correct_responses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObjectiveRow:
    """``cmi.objectives.n``, statuses normalised as in :class:`Summary`."""

    position: int
    identifier: str | None = None
    completion_status: str = "unknown"
    success_status: str = "unknown"
    score_scaled: float | None = None
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    progress_measure: float | None = None
    description: str | None = None


@dataclass(frozen=True)
class CommitPart:
    """One received part of a split commit."""

    seq: int
    index: int
    count: int
    final: bool
    changes: list[list[str]]


@dataclass(frozen=True)
class Preferences:
    """A learner's preferences as CMI values (``None``: never set)."""

    language: str | None = None
    audio_captioning: str | None = None
    audio_level: str | None = None
    delivery_speed: str | None = None
    audio: str | None = None
    speed: str | None = None


@dataclass(frozen=True)
class AttemptResult:
    """An attempt with its interactions and objectives, for reports."""

    attempt: Attempt
    interactions: tuple[InteractionRow, ...]
    objectives: tuple[ObjectiveRow, ...]
