"""The two origins in tests: Flask's test client, sending each request where a browser would.

The app serves management pages on the app origin and the player, run-time and course files
on the content origin, and answers 404 on the other (``scorm_player.web.security``). With no
``SCORM_PLAYER_APP_URL``/``CONTENT_URL`` those are ``localhost`` and ``127.0.0.1``.
:class:`OriginRoutingClient` (every ``app.test_client()`` in the suite, see ``conftest``)
sends a bare path to the origin that serves it, as a browser following our links would, and
keeps one cookie jar per host like a browser: the session cookie set on the app origin never
reaches the content origin. A full URL, or ``base_url=``, pins the host; the isolation tests
do that to knock on the wrong door.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

APP_BASE = "http://localhost"
CONTENT_BASE = "http://127.0.0.1"


class OriginRoutingClient(FlaskClient):
    """A ``FlaskClient`` whose bare paths go to the origin that serves them."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        bare_path = args and isinstance(args[0], str) and args[0].startswith("/")
        if bare_path and "base_url" not in kwargs:
            from scorm_player.web.security import origin_for_path, origins

            method = kwargs.get("method", "GET")
            which = origin_for_path(self.application, args[0], method)
            kwargs["base_url"] = origins(self.application).url(which) + "/"
        return super().open(*args, **kwargs)
