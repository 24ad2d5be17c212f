"""A designer's preview of a whole course in the player, in browse mode.

``GET /courses/<course_id>/play`` (signed-in designers, from the course page) opens the
player on the course's latest version with ``mode=browse``: a registration of the designer's
own, flagged as a preview (``services.launch``), so nothing is recorded against learners and
it never appears in their results. The player lives on the content origin, so this page only
makes the preview's launch link and sends the browser there.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from scorm_player.services import CourseNotFound
from scorm_player.web.common import services
from scorm_player.web.security import content_url

bp = Blueprint("browse", __name__, url_prefix="/courses")


@bp.get("/<course_id>/play")
@login_required
def play(course_id: str) -> Response:
    try:
        token = services().launches.make_preview_token(course_id, current_user.username)
    except CourseNotFound:
        abort(404)
    return redirect(content_url(url_for("runtime.launch", token=token, mode="browse")))
