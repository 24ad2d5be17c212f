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
