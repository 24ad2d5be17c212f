"""A live server for the isolation tests, with a log of every request it answered.

The app runs on a real socket on 127.0.0.1 (``tests/live_server.py``), one per test; with no SCORM_PLAYER_APP_URL/CONTENT_URL,
``http://localhost:PORT`` is its app origin and ``http://127.0.0.1:PORT`` its content
origin. :class:`RequestLog` records each request's host, method, path, Fetch Metadata and
status, so a test can say what the server gave to requests the browser hid from the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import DESIGNER, PASSWORD, LiveServer, serving

__all__ = ["DESIGNER", "PASSWORD", "Live", "RequestLog", "Seen"]


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


class Live(LiveServer):
    """The live app; ``log`` holds every request it answered."""

    @property
    def log(self) -> RequestLog:
        return self.app.wsgi_app  # type: ignore[return-value]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    options: dict[str, Any] = {"designer": True, "middleware": RequestLog}
    with serving(Live, tmp_path, secret_key="isolation", **options) as server:
        yield server
