"""The one exception family of the services layer; the CLI and the web map it to messages."""

from __future__ import annotations


class ServiceError(Exception):
    """A use case cannot be carried out; the message is fit to show a user."""


class CourseNotFound(ServiceError, LookupError):
    def __init__(self, course_id: str) -> None:
        self.course_id = course_id
        super().__init__(f"There is no course with the id {course_id!r}.")


class UserExists(ServiceError):
    def __init__(self, username: str) -> None:
        self.username = username
        super().__init__(f"A user named {username!r} already exists.")


class InvalidInput(ServiceError, ValueError):
    """A value given to a use case is unusable (an empty user name, say)."""


class TokenRefused(ServiceError):
    """A launch, run-time or content token is forged, damaged or made for something else."""

    reason = "forbidden"


class TokenExpired(TokenRefused):
    """A genuine token past its lifetime (a run-time token can be renewed before that)."""

    reason = "expired"


class NothingToLaunch(ServiceError):
    """The course version has no item a learner can launch (or not the one asked for)."""


class CommitRefused(ServiceError):
    """A commit the server did not apply (docs/runtime-protocol.md section 3).

    :ivar reason: the protocol's error word: ``superseded``, ``gap``, ``invalid``, ``closed``
        (the attempt's session has ended) or ``forbidden`` (the token is for another attempt).
    :ivar details: what the answer carries besides it (``expected``, ``element``, ``code``).
    """

    def __init__(self, reason: str, message: str, **details: object) -> None:
        self.reason = reason
        self.details = details
        super().__init__(message)

    def body(self) -> dict[str, object]:
        return {"error": self.reason, **self.details, "message": str(self)}


class NotRegistered(ServiceError, LookupError):
    def __init__(self, course_id: str, learner_id: str) -> None:
        self.course_id = course_id
        self.learner_id = learner_id
        super().__init__(f"The learner {learner_id!r} has not launched the course {course_id!r}.")
