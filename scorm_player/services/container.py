"""Build every service from the settings, upgrading the schema on first use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from scorm_player.config import Settings
from scorm_player.services.courses import CourseService
from scorm_player.services.registrations import RegistrationService
from scorm_player.services.users import UserService
from scorm_player.storage import (
    CourseRepository,
    RegistrationRepository,
    UserRepository,
    ensure_schema,
    make_engine,
    make_session_factory,
)


@dataclass
class Services:
    """The application's use cases over one database engine."""

    settings: Settings
    engine: Engine
    courses: CourseService
    registrations: RegistrationService
    users: UserService

    def close(self) -> None:
        self.engine.dispose()


def open_services(settings: Settings, *, upgrade_schema: bool = True) -> Services:
    """Connect, bring the schema to head (unless told not to) and seed the first account.

    The account named by ``SCORM_PLAYER_ADMIN_USER`` is created, with its password, only
    when it does not exist yet.
    """
    engine = make_engine(settings.database_url)
    if upgrade_schema:
        ensure_schema(engine)
    session_maker = make_session_factory(engine)
    services = Services(
        settings=settings,
        engine=engine,
        courses=CourseService(
            CourseRepository(session_maker), settings.data_dir, settings.import_limits
        ),
        registrations=RegistrationService(RegistrationRepository(session_maker)),
        users=UserService(UserRepository(session_maker)),
    )
    if upgrade_schema and settings.admin_user and settings.admin_password:
        services.users.ensure(settings.admin_user, settings.admin_password, role="admin")
    return services
