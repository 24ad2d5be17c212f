"""Course files for learners, on the content origin: ``/learn/<scope>/<path>``.

Learners have no sign-in, and the content origin has no session. A launch gives the player
page a content scope (a signed token naming the course version and the registration, valid
for about a day, see ``services.tokens``); the SCO's launch URL and every relative URL inside
the SCO sit under it, so pages, scripts and media load from the version's folder, confined,
typed and cached as ``web.content.send_content`` does for every course file. A scope opens
its own course version and nothing else: another course's files need another launch.
"""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

from scorm_player.web.common import services
from scorm_player.web.content import send_scoped

bp = Blueprint("learn", __name__, url_prefix="/learn")


@bp.get("/<scope>/<path:path>")
def serve(scope: str, path: str) -> Response | tuple[str, int]:
    return send_scoped(
        services().tokens.read_content, scope, path,
        expired="This course address has expired. Open the course link again.",
        refused="This course address is not valid. Open the course link again.",
    )
