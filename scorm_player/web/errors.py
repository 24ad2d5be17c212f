"""Friendly error pages (and JSON errors for requests that asked for JSON)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.wrappers import Response

from scorm_player.humanize import file_size
from scorm_player.web.common import services, wants_json
from scorm_player.web.security import APP, on_origin

bp = Blueprint("errors", __name__)

TITLES = {
    400: "Something was wrong with that request",
    403: "You cannot open this page",
    404: "We could not find that page",
    405: "That action is not allowed here",
    413: "That file is too large",
}


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    message = error.description or ""
    if isinstance(error, RequestEntityTooLarge):
        limit = services().settings.max_upload_bytes
        message = (
            f"Uploads are limited to {file_size(limit)}. Ask your administrator to raise "
            "SCORM_PLAYER_MAX_UPLOAD_BYTES, or import the package with the scorm-player "
            "command instead."
        )
    elif code == 404 and message == NotFound.description:  # not one of ours
        message = "The address may be mistyped, or the course may have been deleted."
    title = TITLES.get(code, error.name)
    if wants_json():
        return jsonify(ok=False, error=title, message=message), code
    # Off the app origin (courses, the player), a bare page: no designer navigation.
    template = "errors/error.html" if on_origin() == APP else "player/error.html"
    return render_template(template, code=code, title=title, message=message), code
