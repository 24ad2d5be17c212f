"""Course files for learners: ``/learn/<scope>/<path>``.

Learners have no sign-in. A launch gives the player page a content scope (a signed token
naming the course version and the registration, valid for a day, see ``services.tokens``);
the SCO's launch URL and every relative URL inside the SCO sit under it, so pages, scripts
and media load from the same folder as the designer route serves, confined the same way.
"""

from __future__ import annotations

from flask import Blueprint, abort
from werkzeug.wrappers import Response

from scorm_player.services import TokenRefused
from scorm_player.web.common import services
from scorm_player.web.content import send_content

bp = Blueprint("learn", __name__, url_prefix="/learn")


@bp.get("/<scope>/<path:path>")
def serve(scope: str, path: str) -> Response:
    try:
        granted = services().tokens.read_content(scope)
    except TokenRefused:
        abort(403, description="This course address has expired. Open the course link again.")
    return send_content(granted.course_id, granted.version_number, path)
