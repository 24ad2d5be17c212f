"""The web app: ``create_app`` wires settings, services, sign-in and one blueprint per feature.

The only layer that imports Flask. Blueprints parse HTTP, call a service and render; they
never see a database session.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask, redirect, url_for
from flask_login import LoginManager
from werkzeug.wrappers import Response

from scorm_player import __version__, resources
from scorm_player.config import PREFIX, Settings, resolve_secret_key
from scorm_player.humanize import file_size
from scorm_player.services import open_services
from scorm_player.web import (
    auth,
    browse,
    content,
    errors,
    learn,
    library,
    player,
    runtime,
    security,
)
from scorm_player.web.common import EXTENSION


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app.

    :param config: Flask settings that override the defaults (``TESTING``, ``SECRET_KEY``,
        ...). Keys named like environment variables (``SCORM_PLAYER_DATA_DIR``, ...) override
        the environment, so a test can point the app at its own folder and database.
    """
    overrides = dict(config or {})
    environ = {**os.environ, **{k: str(v) for k, v in overrides.items() if k.startswith(PREFIX)}}
    settings = Settings.from_env(environ)

    app = Flask(
        __name__,
        template_folder=str(resources.templates_dir()),
        static_folder=str(resources.static_dir()),
    )
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=settings.max_upload_bytes, **security.cookie_settings(settings)
    )
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = resolve_secret_key(settings)
    # Launch and run-time tokens are signed with the same key as the session cookie.
    settings = dataclasses.replace(settings, secret_key=app.config["SECRET_KEY"])

    app.extensions[EXTENSION] = open_services(settings)

    login = LoginManager(app)
    login.login_view = "auth.login"
    login.login_message = "Please sign in to see this page."
    login.login_message_category = "info"
    login.user_loader(auth.load_user)

    # First: the Host dispatch must run before any blueprint's hooks (the CSRF check).
    security.init_app(app, settings)
    blueprints = (
        auth.bp, library.bp, browse.bp, content.bp, learn.bp, runtime.bp, player.bp, errors.bp
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.add_url_rule("/", "home", _home)
    app.add_template_filter(file_size, "file_size")
    app.add_template_filter(_timestamp, "timestamp")
    app.add_template_global(__version__, "app_version")
    return app


def _home() -> Response:
    return redirect(url_for("library.index"))


def _timestamp(moment: datetime) -> str:
    """UTC, to the minute: designers compare versions, seconds are noise."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
