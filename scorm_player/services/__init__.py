"""Services: the use cases, each combining packaging and storage inside one transaction.

:func:`open_services` is the one place that wires them from :class:`~scorm_player.config.Settings`
(engine, schema upgrade, repositories); the CLI and ``create_app`` both call it.
"""

from scorm_player.services.container import Services, open_services
from scorm_player.services.courses import CourseService, ImportOutcome
from scorm_player.services.errors import (
    CommitRefused,
    CourseNotFound,
    InvalidInput,
    NothingToLaunch,
    NotRegistered,
    ServiceError,
    TokenExpired,
    TokenRefused,
    UserExists,
)
from scorm_player.services.launch import LaunchContext, LaunchService
from scorm_player.services.registrations import RegistrationService
from scorm_player.services.tracking import CommitResult, LearnerResults, TrackingService
from scorm_player.services.users import UserService

__all__ = [
    "CommitRefused",
    "CommitResult",
    "CourseNotFound",
    "CourseService",
    "ImportOutcome",
    "InvalidInput",
    "LaunchContext",
    "LaunchService",
    "LearnerResults",
    "NotRegistered",
    "NothingToLaunch",
    "RegistrationService",
    "ServiceError",
    "Services",
    "TokenExpired",
    "TokenRefused",
    "TrackingService",
    "UserExists",
    "UserService",
    "open_services",
]
