"""Course files on the content origin: types, confinement, and the designer's preview.

Two routes serve a course version's files, both on the content origin (``web.security``)
where no session cookie ever goes, each authorised by a signed token in the path:

- ``/learn/<content scope>/<path>`` (``web.learn``): learners, from a launch.
- ``/preview/<preview token>/<path>`` (here): designers; the preview page on the app origin
  frames :func:`preview_url`, made for a signed-in designer and valid two hours.

:func:`send_content` confines ``path`` to the version's folder (:func:`resolve`: no ``..``,
no absolute path, backslash, control character or NUL, nothing a symlink leads out of, only
regular files, so no listing), gives it a type from :data:`CONTENT_TYPES` (a table we own,
not the host's registry, where ``.js`` is sometimes ``text/plain``; ``nosniff`` makes
browsers keep it), refuses Flash politely, and hands the file to ``web.delivery`` for
validators, ranges and compression. Files never change once imported: assets are cached
for a year, HTML pages are revalidated (a 304 when nothing changed).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from flask import Blueprint, abort, render_template, url_for
from werkzeug.wrappers import Response

from scorm_player.services import TokenExpired, TokenRefused
from scorm_player.services.tokens import ContentScope, PreviewScope
from scorm_player.web.common import services
from scorm_player.web.delivery import send_file
from scorm_player.web.security import content_url

bp = Blueprint("content", __name__, url_prefix="/preview")

#: Suffix -> media type. Anything else is ``application/octet-stream`` (downloaded, never
#: rendered). Types follow the IANA registry; ``.ogg`` is audio (RFC 5334), ``.ogv`` video.
CONTENT_TYPES = {
    # pages, scripts, styles, data
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".xsl": "application/xml",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".wasm": "application/wasm",
    # images
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".apng": "image/apng",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".bmp": "image/bmp",
    ".ico": "image/vnd.microsoft.icon",
    # fonts
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    # video, audio, captions
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mov": "video/quicktime",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
    ".vtt": "text/vtt",
    # documents
    ".pdf": "application/pdf",
}
UNKNOWN_TYPE = "application/octet-stream"
#: Worth compressing: text and uncompressed fonts. Images, media, PDF, WOFF are already
#: compressed (and media is requested by ranges).
COMPRESSIBLE = frozenset({
    "text/html", "application/xhtml+xml", "text/javascript", "text/css", "application/json",
    "application/xml", "text/plain", "text/csv", "application/wasm", "image/svg+xml",
    "image/bmp", "image/vnd.microsoft.icon", "font/ttf", "font/otf",
    "application/vnd.ms-fontobject", "text/vtt",
})
FLASH_SUFFIX = ".swf"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ASSET_CACHE = "private, max-age=31536000, immutable"  # the URL names one version's file
PAGE_CACHE = "private, no-cache"  # revalidated each time: the token in the URL is checked
MAX_PATH_CHARS = 1024
MAX_NAME_BYTES = 255


@bp.get("/<token>/<path:path>")
def serve(token: str, path: str) -> Response | tuple[str, int]:
    return send_scoped(
        services().tokens.read_preview, token, path,
        expired="This preview has expired. Reload the preview page.",
        refused="This preview address is not valid.",
    )


def preview_url(course_id: str, number: int, launch_url: str) -> str:
    """The absolute URL, on the content origin, of a launch file for a designer's preview
    (query string and fragment kept); an absolute ``http(s)`` launch URL as it is."""
    parts = urlsplit(launch_url)
    if parts.scheme or parts.netloc:
        return launch_url
    token = services().tokens.preview(PreviewScope(course_id, number))
    url = content_url(url_for("content.serve", token=token, path=parts.path))
    if parts.query:
        url += f"?{parts.query}"
    if parts.fragment:
        url += f"#{parts.fragment}"
    return url


def send_scoped(
    read: Callable[[str], ContentScope | PreviewScope], token: str, path: str, *,
    expired: str, refused: str,
) -> Response | tuple[str, int]:
    """``path`` in the course version the token names (``read`` checks it), or a 403."""
    try:
        scope = read(token)
    except TokenExpired:
        abort(403, description=expired)
    except TokenRefused:
        abort(403, description=refused)
    return send_content(scope.course_id, scope.version_number, path)


def send_content(course_id: str, number: int, path: str) -> Response | tuple[str, int]:
    """A file of a course version (404 for anything else); ``learn`` serves learners with it."""
    folder = services().courses.content_dir(course_id, number)
    found = resolve(folder, path) if folder is not None else None
    if found is None:
        abort(404)
    suffix = found.suffix.lower()
    if suffix == FLASH_SUFFIX:
        return _flash_page(PurePosixPath(path).name)
    content_type = CONTENT_TYPES.get(suffix, UNKNOWN_TYPE)
    return send_file(
        found,
        content_type,
        compressible=content_type in COMPRESSIBLE,
        cache_control=PAGE_CACHE if content_type in HTML_TYPES else ASSET_CACHE,
    )


def resolve(folder: Path, path: str) -> Path | None:
    """The regular file at ``path`` inside ``folder``, or None.

    ``path`` is the URL path as decoded once by the server; it is never decoded again, so
    ``%252e%252e`` stays the literal name ``%2e%2e``. Refused outright: empty, ``.`` and
    ``..`` segments (so no leading ``/`` and no trailing ``/``), backslashes (browsers turn a
    typed ``\\`` into ``/``; one that arrives was encoded on purpose), control characters and
    NUL, overlong names. Then the real path (every symlink followed) must still lie inside the
    folder's real path, and be a regular file. Names are matched exactly: no Unicode
    normalisation, so a look-alike dot (``．``) is just a character of a name.
    """
    if not path or len(path) > MAX_PATH_CHARS or "\\" in path:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        return None
    segments = path.split("/")
    if any(
        segment in ("", ".", "..") or len(segment.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES
        for segment in segments
    ):
        return None
    root = os.path.realpath(folder)
    candidate = os.path.realpath(os.path.join(root, *segments))
    if os.path.commonpath([root, candidate]) != root or candidate == root:
        return None
    try:
        mode = os.stat(candidate).st_mode
    except (OSError, ValueError):
        return None
    return Path(candidate) if stat.S_ISREG(mode) else None


def _flash_page(name: str) -> tuple[str, int]:
    """Browsers stopped running Flash in 2021: say so instead of sending the file."""
    message = (
        f"“{name}” is Adobe Flash content. Browsers stopped playing Flash at the end of "
        "2020, so this part of the course cannot be shown. Ask the course's author for an "
        "HTML5 version of the course."
    )
    page = render_template(
        "player/error.html", code=403, title="Flash content cannot be played", message=message
    )
    return page, 403
