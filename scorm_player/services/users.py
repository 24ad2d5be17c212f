"""Designer accounts: create, authenticate, bootstrap the first one from the settings."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from scorm_player.services.errors import InvalidInput, UserExists
from scorm_player.storage.records import User
from scorm_player.storage.repositories import UserRepository

ROLES = ("designer", "admin")
MAX_USERNAME = 150


class UserService:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    def get(self, user_id: int) -> User | None:
        return self._users.get(user_id)

    def create(self, username: str, password: str, role: str = "designer") -> User:
        """Create an account. :raises UserExists: or :raises InvalidInput: for bad values."""
        username = username.strip()
        if not username or len(username) > MAX_USERNAME:
            raise InvalidInput(f"A user name needs 1 to {MAX_USERNAME} characters.")
        if not password:
            raise InvalidInput("A password is required.")
        if role not in ROLES:
            raise InvalidInput(f"The role must be one of {', '.join(ROLES)}.")
        if self._users.get_by_username(username) is not None:
            raise UserExists(username)
        return self._users.add(username, generate_password_hash(password), role)

    def ensure(self, username: str, password: str, role: str = "admin") -> tuple[User, bool]:
        """The account, created with this password if missing; answers (user, created).

        An existing account keeps its password: the environment only seeds the first login.
        """
        existing = self._users.get_by_username(username.strip())
        if existing is not None:
            return existing, False
        return self.create(username, password, role), True

    def authenticate(self, username: str, password: str) -> User | None:
        user = self._users.get_by_username(username.strip())
        if user is None or not check_password_hash(user.password_hash, password):
            return None
        return user

    def set_password(self, username: str, password: str) -> None:
        if not password:
            raise InvalidInput("A password is required.")
        user = self._users.get_by_username(username.strip())
        if user is None:
            raise InvalidInput(f"There is no user named {username!r}.")
        self._users.set_password_hash(user.id, generate_password_hash(password))
