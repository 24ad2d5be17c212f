"""Registrations: a learner enrolled on a course version.

Minimal for now: the run-time issue adds attempts and state. What holds already is the
versioning rule: a learner keeps the version they started, a new learner gets the latest.
"""

from __future__ import annotations

from scorm_player.services.errors import CourseNotFound, InvalidInput
from scorm_player.storage.records import Registration
from scorm_player.storage.repositories import RegistrationRepository

#: Learner ids of designers' previews: ``designer-preview:<user name>``; never a learner's.
PREVIEW_PREFIX = "designer-preview:"


class RegistrationService:
    def __init__(self, registrations: RegistrationRepository) -> None:
        self._registrations = registrations

    def register(
        self, course_id: str, learner_external_id: str, learner_name: str, *,
        preview: bool = False,
    ) -> Registration:
        """The learner's registration on the course, made on the latest version if new
        (``preview``: a designer's preview registration, always on the latest version).

        :raises CourseNotFound: no such course.
        """
        external_id = learner_external_id.strip()
        if not external_id:
            raise InvalidInput("A learner id is required.")
        registration = self._registrations.find_or_create(
            course_id, external_id, learner_name.strip() or external_id, preview=preview
        )
        if registration is None:
            raise CourseNotFound(course_id)
        return registration
