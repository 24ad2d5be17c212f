"""The app on a real socket, for the suites that drive it from Chromium.

``tests/player``, ``tests/e2e`` and ``tests/isolation`` each serve the app from a background
thread (werkzeug, threaded) with SQLite in a temporary folder. :class:`LiveServer` is that
server and the service calls every suite makes around it (import a fixture course once, a
launch link); each suite subclasses it for its own extras and starts it with
:func:`serving`.

With no ``SCORM_PLAYER_APP_URL``/``CONTENT_URL``, ``http://localhost:PORT`` is the app origin
(sign-in, the library) and ``http://127.0.0.1:PORT`` the content origin (the player, launch
links, course files): two sites to the browser, as in production (``web/security.py``).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlencode

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from scorm_player.services import Services
from scorm_player.web import create_app
from scorm_player.web.common import EXTENSION
from tests.helpers import CliRun
from tests.zipping import fixture_zip

DESIGNER, PASSWORD = "designer", "correct horse"
DATABASE = "live.sqlite3"

Live = TypeVar("Live", bound="LiveServer")
Middleware = Callable[[Any], Any]  # WSGI app -> WSGI app


class _QuietHandler(WSGIRequestHandler):
    """No access log: a run launches hundreds of pages."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class LiveServer:
    """The live app, and the service calls tests make around it."""

    #: The learner name launch links carry unless a test gives one.
    learner_name: ClassVar[str] = "Doe, Jo"

    app: Flask
    folder: Path
    secret_key: str
    _http: BaseWSGIServer
    _courses: dict[tuple[str, str | None], str] = field(default_factory=dict)
    _zips: Iterator[int] = field(default_factory=itertools.count)

    @property
    def port(self) -> int:
        return self._http.server_port

    @property
    def url(self) -> str:
        """The content origin: the player, launch links and course files."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def content_url(self) -> str:
        return self.url

    @property
    def app_url(self) -> str:
        """The app origin: sign-in and the course library."""
        return f"http://localhost:{self.port}"

    @property
    def services(self) -> Services:
        return self.app.extensions[EXTENSION]

    @property
    def settings_env(self) -> dict[str, str]:
        """The environment that points ``scorm-player`` (the CLI) at this server's data."""
        return {
            "SCORM_PLAYER_DATA_DIR": str(self.folder / "data"),
            "SCORM_PLAYER_DATABASE_URL": f"sqlite:///{self.folder / DATABASE}",
            "SCORM_PLAYER_SECRET_KEY": self.secret_key,
        }

    def course(self, package: str | Path, *, policy: str | None = None) -> str:
        """The id of ``package`` (a fixture folder's name, or a zip) imported as a course,
        once per package and policy: tests share the import, never a learner."""
        key = (str(package), policy)
        if key not in self._courses:
            if isinstance(package, Path):
                zipped = package
            else:
                folder = self.folder / f"zip{next(self._zips)}"
                folder.mkdir(parents=True)
                zipped = fixture_zip(package, folder)
            course_id = self.import_zip(zipped)
            if policy is not None:
                self.services.courses.set_policy(course_id, policy)
            self._courses[key] = course_id
        return self._courses[key]

    def import_zip(self, path: Path) -> str:
        return self.services.courses.import_zip(path).course.id

    def link(
        self, course_id: str, learner: str, *, name: str | None = None, **query: str | None
    ) -> str:
        """A launch link as an LMS gets it (the launch service); ``query`` adds ``?item=``,
        ``?mode=`` and the like (``None`` values are left out)."""
        token = self.services.launches.make_link_token(
            course_id, learner, name or self.learner_name
        )
        given = {key: value for key, value in query.items() if value is not None}
        return f"{self.url}/launch/{token}" + (f"?{urlencode(given)}" if given else "")

    def cli_results(self, course_id: str, learner: str) -> dict[str, Any]:
        """``scorm-player results --json`` on this server's data, as an LMS script reads it."""
        run = CliRun(self.settings_env)
        return json.loads(run.ok("results", course_id, "--learner-id", learner, "--json").output)

    def stop(self) -> None:
        self._http.shutdown()
        self.services.close()

    @classmethod
    def start(
        cls: type[Live],
        folder: Path,
        *,
        secret_key: str,
        designer: bool = False,
        middleware: Middleware | None = None,
        **config: Any,
    ) -> Live:
        """Serve a fresh app (SQLite in ``folder``); ``config`` overrides settings by name,
        ``designer`` creates the :data:`DESIGNER` account, ``middleware`` wraps the WSGI app
        (to watch the requests)."""
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        with pytest.MonkeyPatch.context() as patch:  # no developer SCORM_PLAYER_* leaks in
            for name in list(os.environ):
                if name.startswith("SCORM_PLAYER_"):
                    patch.delenv(name)
            app = create_app(
                {
                    "SECRET_KEY": secret_key,
                    "SCORM_PLAYER_DATA_DIR": str(folder / "data"),
                    "SCORM_PLAYER_DATABASE_URL": f"sqlite:///{folder / DATABASE}",
                    **config,
                }
            )
        if designer:
            app.extensions[EXTENSION].users.create(DESIGNER, PASSWORD)
        if middleware is not None:
            app.wsgi_app = middleware(app.wsgi_app)  # type: ignore[method-assign]
        http = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        threading.Thread(target=http.serve_forever, daemon=True).start()
        return cls(app, folder, secret_key, http)


@contextmanager
def serving(kind: type[Live], folder: Path, **options: Any) -> Iterator[Live]:
    """:meth:`LiveServer.start` for the ``with`` block (a fixture's lifetime), then stop."""
    live = kind.start(folder, **options)
    try:
        yield live
    finally:
        live.stop()
