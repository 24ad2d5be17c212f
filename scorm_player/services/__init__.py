"""Services: the use cases, each combining packaging and storage inside one transaction.

:func:`open_services` is the one place that wires them from :class:`~scorm_player.config.Settings`
(engine, schema upgrade, repositories); the CLI and ``create_app`` both call it.
"""

from scorm_player.services.container import Services, open_services
from scorm_player.services.courses import CourseService, ImportOutcome
from scorm_player.services.errors import CourseNotFound, InvalidInput, ServiceError, UserExists
from scorm_player.services.registrations import RegistrationService
from scorm_player.services.users import UserService

__all__ = [
    "CourseNotFound",
    "CourseService",
    "ImportOutcome",
    "InvalidInput",
    "RegistrationService",
    "ServiceError",
    "Services",
    "UserExists",
    "UserService",
    "open_services",
]
