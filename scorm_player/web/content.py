"""Serve the files of an imported course version: ``/content/<course>/v<n>/<path>``.

Confined to the version's folder: ``send_from_directory`` joins with ``safe_join``, which
refuses ``..``, absolute paths and (on Windows) drive names, and answers 404 for anything that
is not a regular file, so there is no directory listing. Types come from a table we own, not
from the host's registry (where ``.js`` is sometimes ``text/plain``), and ``nosniff`` makes
browsers trust them. Designers only; learners get the same files through ``learn``
(``/learn/<scope>/<path>``, authorised by their launch).
"""

from __future__ import annotations

import mimetypes

from flask import Blueprint, abort, send_from_directory
from flask_login import login_required
from werkzeug.wrappers import Response

from scorm_player.web.common import services

bp = Blueprint("content", __name__, url_prefix="/content")

CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".vtt": "text/vtt",
    ".pdf": "application/pdf",
    ".swf": "application/x-shockwave-flash",
    ".txt": "text/plain",
    ".wasm": "application/wasm",
}
for _suffix, _type in CONTENT_TYPES.items():
    mimetypes.add_type(_type, _suffix)


@bp.get("/<course_id>/v<int:number>/<path:path>")
@login_required
def serve(course_id: str, number: int, path: str) -> Response:
    return send_content(course_id, number, path)


def send_content(course_id: str, number: int, path: str) -> Response:
    """A file of a course version (404 for anything else); ``learn`` serves learners with it."""
    folder = services().courses.content_dir(course_id, number)
    if folder is None:
        abort(404)
    response = send_from_directory(folder, path)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
