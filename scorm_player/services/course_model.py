"""What the run-time needs from a course version's package, rebuilt once and cached.

A version's package never changes after import, so launches and commits share one
:class:`CourseModel` per version instead of rebuilding the package from JSON per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from scorm_player.datamodel import DataMap, Version
from scorm_player.packaging import Item, Package, ScormVersion
from scorm_player.storage.records import CourseVersion
from scorm_player.storage.repositories import CourseRepository


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
        )

    def item(self, identifier: str) -> Item | None:
        return next((item for item in self.items if item.identifier == identifier), None)

    @property
    def sco_items(self) -> list[str]:
        """The items a registration's result is made of: the SCOs (else every item)."""
        scos = [item.identifier for item in self.items if item.scorm_type == "sco"]
        return scos or [item.identifier for item in self.items]

    @property
    def shared_scope(self) -> str:
        """Where ``adl.data`` stores live: ``""`` across courses, else this course's id."""
        return "" if self.shared_data_global else self.course_id

    def data_maps(self, item: Item) -> list[DataMap]:
        """The item's ``adl.data`` maps (4th Ed. ``adlcp:data``), in manifest order."""
        if self.version != "2004":
            return []
        return [
            DataMap(m.target_id, None, m.read_shared_data, m.write_shared_data)
            for m in item.shared_data
        ]


class CourseModels:
    """A small, thread-safe cache of :class:`CourseModel` by course version id."""

    def __init__(self, courses: CourseRepository, size: int = 32) -> None:
        self._courses = courses
        self._size = size
        self._cache: OrderedDict[int, CourseModel] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version_id: int) -> CourseModel | None:
        with self._lock:
            model = self._cache.get(version_id)
            if model is not None:
                self._cache.move_to_end(version_id)
                return model
        version = self._courses.get_version(version_id)
        if version is None:
            return None
        model = CourseModel.of(version)
        with self._lock:
            self._cache[version_id] = model
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return model
