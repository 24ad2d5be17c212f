"""Registrations and designer accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm_player.config import Settings
from scorm_player.services import CourseNotFound, InvalidInput, Services, UserExists, open_services


def test_register_needs_a_course_and_a_learner_id(services: Services) -> None:
    with pytest.raises(CourseNotFound):
        services.registrations.register("nope", "alice", "Alice")
    with pytest.raises(InvalidInput):
        services.registrations.register("nope", "  ", "Alice")


def test_create_and_authenticate(services: Services) -> None:
    user = services.users.create("ada", "correct horse")

    assert user.role == "designer"
    assert user.password_hash != "correct horse"
    assert services.users.authenticate("ada", "correct horse") == user
    assert services.users.authenticate("ada", "wrong") is None
    assert services.users.authenticate("nobody", "correct horse") is None
    with pytest.raises(UserExists):
        services.users.create("ada", "other")
    services.users.set_password("ada", "battery staple")
    assert services.users.authenticate("ada", "battery staple") is not None


@pytest.mark.parametrize(
    ("username", "password", "role"),
    [("", "pw", "designer"), ("ada", "", "designer"), ("x" * 151, "pw", "designer"), ("ada", "pw", "root")],
)
def test_bad_accounts_are_refused(services: Services, username: str, password: str, role: str) -> None:
    with pytest.raises(InvalidInput):
        services.users.create(username, password, role)


def test_the_first_admin_comes_from_the_settings(data_dir: Path, database_url: str) -> None:
    env = {
        "SCORM_PLAYER_DATA_DIR": str(data_dir),
        "SCORM_PLAYER_DATABASE_URL": database_url,
        "SCORM_PLAYER_ADMIN_USER": "root",
        "SCORM_PLAYER_ADMIN_PASSWORD": "first",
    }
    opened = open_services(Settings.from_env(env))
    try:
        assert opened.users.authenticate("root", "first") is not None
        opened.users.set_password("root", "changed")
    finally:
        opened.close()
    reopened = open_services(Settings.from_env(env))  # the environment does not reset it
    try:
        assert reopened.users.authenticate("root", "changed") is not None
    finally:
        reopened.close()
