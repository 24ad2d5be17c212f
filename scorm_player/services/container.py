"""Build every service from the settings, upgrading the schema on first use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from scorm_player.config import Settings, resolve_secret_key
from scorm_player.services import sequencing
from scorm_player.services.course_model import CourseModels
from scorm_player.services.courses import CourseService
from scorm_player.services.launch import LaunchService
from scorm_player.services.navigation import NavigationService
from scorm_player.services.registrations import RegistrationService
from scorm_player.services.tokens import Tokens
from scorm_player.services.tracking import TrackingService
from scorm_player.services.users import UserService
from scorm_player.storage import (
    CourseRepository,
    RegistrationRepository,
    TrackingRepository,
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
    tokens: Tokens
    launches: LaunchService
    tracking: TrackingService
    navigation: NavigationService

    def close(self) -> None:
        self.engine.dispose()


def open_services(settings: Settings, *, upgrade_schema: bool = True) -> Services:
    """Connect, bring the schema to head (unless told not to) and seed the first account.

    The account named by ``SCORM_PLAYER_ADMIN_USER`` is created, with its password, only
    when it does not exist yet. Tokens are signed with the secret key, read (or made) on
    first use.
    """
    engine = make_engine(settings.database_url)
    if upgrade_schema:
        ensure_schema(engine)
    session_maker = make_session_factory(engine)
    course_repository = CourseRepository(session_maker)
    courses = CourseService(course_repository, settings.data_dir, settings.import_limits)
    registrations = RegistrationService(RegistrationRepository(session_maker))
    tracking = TrackingRepository(session_maker)
    models = CourseModels(course_repository)
    tokens = Tokens(lambda: resolve_secret_key(settings), runtime_ttl=settings.runtime_token_ttl)
    policy = settings.compat_policy
    navigation = NavigationService(
        tokens, tracking, models, courses, policy_for=sequencing.policy_for
    )
    services = Services(
        settings=settings,
        engine=engine,
        courses=courses,
        registrations=registrations,
        users=UserService(UserRepository(session_maker)),
        tokens=tokens,
        launches=LaunchService(
            tokens, courses, registrations, tracking, models, navigation, default_policy=policy
        ),
        tracking=TrackingService(tokens, tracking, courses, models, default_policy=policy),
        navigation=navigation,
    )
    if upgrade_schema and settings.admin_user and settings.admin_password:
        services.users.ensure(settings.admin_user, settings.admin_password, role="admin")
    return services
