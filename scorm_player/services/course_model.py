"""What the run-time needs from a course version's package, rebuilt once and cached.

A version's package never changes after import, so launches and commits share one
:class:`CourseModel` per version instead of rebuilding the package from JSON per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any, Protocol

from scorm_player.datamodel import DataMap, Version
from scorm_player.packaging import Item, Package, ScormVersion
from scorm_player.sequencing.tree import ActivityTree
from scorm_player.storage.records import CourseVersion
from scorm_player.storage.repositories import CourseRepository
from scorm_player.storage.tracking import TrackingUnit


@dataclass(frozen=True)
class CourseModel:
    """One course version: its default organization's launchable items and their data."""

    version_id: int
    course_id: str
    version_number: int
    version: Version
    title: str
    package: Package
    items: tuple[Item, ...]  # launchable items of the default organization, in flow order
    shared_data_global: bool  # adlcp:sharedDataGlobalToSystem of that organization
    # SCORM 2004: the activity tree the sequencer runs on (None for SCORM 1.2)
    tree: ActivityTree | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, version: CourseVersion) -> CourseModel:
        package = version.package()
        organization = package.organization
        return cls(
            version_id=version.id,
            course_id=version.course_id,
            version_number=version.number,
            version="1.2" if version.scorm_version is ScormVersion.SCORM_12 else "2004",
            title=version.title,
            package=package,
            items=tuple(organization.launchable_items()) if organization else (),
            shared_data_global=(
                organization.shared_data_global_to_system if organization else True
            ),
            tree=(
                ActivityTree.from_organization(organization)
                if organization is not None and version.scorm_version is not ScormVersion.SCORM_12
                else None
            ),
        )

    def item(self, identifier: str) -> Item | None:
        return next((item for item in self.items if item.identifier == identifier), None)

    @property
    def sco_items(self) -> list[str]:
        """The items a registration's result is made of: the SCOs (else every item)."""
        scos = [item.identifier for item in self.items if item.scorm_type == "sco"]
        return scos or [item.identifier for item in self.items]

    def shared_scope(self, registration_id: int, sequencing_state: Mapping[str, Any] | None) -> str:
        """Where ``adl.data`` stores live: ``""`` for the learner across courses and attempts
        (``sharedDataGlobalToSystem``, the default), else the registration's current attempt
        on the course: CAM 4th Ed. keeps such data for one attempt, and a new attempt on the
        course (after it ended) starts with no stores written (CTS DDM)."""
        if self.shared_data_global:
            return ""
        return f"registration:{registration_id}:attempt:{self.course_attempt(sequencing_state)}"

    def course_attempt(self, sequencing_state: Mapping[str, Any] | None) -> int:
        """Which attempt on the whole course a registration is in: its root activity's
        attempt count (``1`` before sequencing has begun one)."""
        if self.tree is None or not sequencing_state:
            return 1
        root = sequencing_state.get("activities", {}).get(self.tree.root.id, {})
        return max(1, int(root.get("attempt_count", 0)))

    def objective_scope(self, registration_id: int) -> str:
        """Where the learner's shared objectives live: ``""`` across courses
        (``objectivesGlobalToSystem``, the default), else this registration only."""
        if self.tree is None or self.tree.objectives_global_to_system:
            return ""
        return f"registration:{registration_id}"

    def data_maps(self, item: Item) -> list[DataMap]:
        """The item's ``adl.data`` maps (4th Ed. ``adlcp:data``), in manifest order."""
        if self.version != "2004":
            return []
        return [
            DataMap(m.target_id, None, m.read_shared_data, m.write_shared_data)
            for m in item.shared_data
        ]


class OnVersion(Protocol):
    """A registration record: the version it is on."""

    @property
    def course_version_id(self) -> int: ...

    @property
    def course_id(self) -> str: ...

    @property
    def version_number(self) -> int: ...


class CourseModels:
    """A small, thread-safe cache of :class:`CourseModel` by course version id."""

    def __init__(self, courses: CourseRepository, size: int = 32) -> None:
        self._courses = courses
        self._size = size
        self._cache: OrderedDict[tuple[int, str, int], CourseModel] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, registration: OnVersion) -> CourseModel | None:
        """The model of the version a registration is on (``None``: it was deleted).

        Keyed by version id, course id and number together: SQLite may give a deleted
        version's id to the next one imported, and course ids are never reused.
        """
        key = (registration.course_version_id, registration.course_id,
               registration.version_number)
        with self._lock:
            model = self._cache.get(key)
            if model is not None:
                self._cache.move_to_end(key)
                return model
        version = self._courses.get_version(registration.course_version_id)
        if version is None or (version.course_id, version.number) != key[1:]:
            return None
        model = CourseModel.of(version)
        with self._lock:
            self._cache[key] = model
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return model


def shared_objectives(unit: TrackingUnit, model: CourseModel) -> dict[str, Any] | None:
    """The learner's shared objectives a sequenced course reaches, read under the
    registration's lock (``None`` for a course without sequencing)."""
    if model.tree is None:
        return None
    return unit.global_objectives(model.objective_scope(unit.registration_id))
