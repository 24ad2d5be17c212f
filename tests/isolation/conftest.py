"""A live server for the isolation tests, with a log of every request it answered.

The app runs on a real socket on 127.0.0.1; with no SCORM_PLAYER_APP_URL/CONTENT_URL,
``http://localhost:PORT`` is its app origin and ``http://127.0.0.1:PORT`` its content
origin. :class:`RequestLog` records each request's host, method, path, Fetch Metadata and
status, so a test can say what the server gave to requests the browser hid from the page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from scorm_player.services import Services
from scorm_player.web import create_app
from scorm_player.web.common import EXTENSION

DESIGNER, PASSWORD = "designer", "correct horse"


@dataclass(frozen=True)
class Seen:
    host: str
    method: str
    path: str
    site: str | None  # Sec-Fetch-Site
    mode: str | None  # Sec-Fetch-Mode
    dest: str | None  # Sec-Fetch-Dest
    status: int


@dataclass
class RequestLog:
    """WSGI middleware: remembers every request and the status it got."""

    app: Callable[..., Any]
    seen: list[Seen] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            self.seen.append(Seen(
                environ.get("HTTP_HOST", ""), environ["REQUEST_METHOD"], environ["PATH_INFO"],
                environ.get("HTTP_SEC_FETCH_SITE"), environ.get("HTTP_SEC_FETCH_MODE"),
                environ.get("HTTP_SEC_FETCH_DEST"), int(status.split()[0]),
            ))
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class Live:
    port: int
    app: Flask
    log: RequestLog

    @property
    def app_url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def content_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def services(self) -> Services:
        return self.app.extensions[EXTENSION]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SCORM_PLAYER_APP_URL", raising=False)
        patch.delenv("SCORM_PLAYER_CONTENT_URL", raising=False)
        app = create_app({
            "SECRET_KEY": "isolation",
            "SCORM_PLAYER_DATA_DIR": str(tmp_path / "data"),
            "SCORM_PLAYER_DATABASE_URL": f"sqlite:///{tmp_path / 'isolation.sqlite3'}",
        })
    app.extensions[EXTENSION].users.create(DESIGNER, PASSWORD)
    log = RequestLog(app.wsgi_app)
    app.wsgi_app = log  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Live(server.server_port, app, log)
    server.shutdown()
    app.extensions[EXTENSION].close()
