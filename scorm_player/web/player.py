"""The player around the SCO: table of contents, navigation and leaving the course.

The player page itself is ``GET /launch/<token>`` (``web/runtime.py``); it renders the TOC
and controls :func:`page_context` prepares, and ``static/js/player.js`` keeps them live with:

- ``GET /runtime/toc`` (header ``Authorization: Bearer <run-time token>``): the
  :class:`~scorm_player.services.navigation.PlayerState` as JSON, read after every
  acknowledged commit so statuses, enabled items and controls follow what the SCO reports;
- ``POST /runtime/navigate`` ``{"token", "request", "target"}``: what a navigation request
  would lead to now (``deliver`` an item, ``exit``, ``stay`` or ``refused`` with a message),
  asked before the player unloads the SCO. The launch it then opens
  (``/launch/<token>?nav=<request>[&item=<target>]``) decides again and carries it out.
  With ``"carry_out": true``, once the SCO has ended, the server carries out a request that
  opens no launch (``exit``, ``exitAll``, ``suspendAll``, ``abandon``, ``abandonAll``) and
  stores what sequencing recorded; a ``deliver`` answer is then opened with
  ``/launch/<token>?item=<item>``;
- ``GET /launch/<token>/left``: "You have left the course", with a button that relaunches,
  when the launch named no ``return_to``.

All three live on the content origin, authorised by tokens (no session, no CSRF).
``return_to`` (where Exit goes) must be a path on this server or an address on one of the
hosts configured as allowed (:func:`safe_return_to`).
"""

from __future__ import annotations

import fnmatch
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, jsonify, render_template, request, url_for
from werkzeug.wrappers import Response

from scorm_player.services import (
    CommitRefused,
    CourseNotFound,
    InvalidInput,
    LaunchContext,
    TokenExpired,
    TokenRefused,
)
from scorm_player.web.auth import csrf_exempt
from scorm_player.web.common import services
from scorm_player.web.security import APP, CONTENT, origin_url

bp = Blueprint("player", __name__)

WINDOWS = ("same", "new")
#: Status names the TOC shows for each status (icons and screen-reader text).
STATUS_LABELS = {
    "not attempted": "Not started",
    "incomplete": "In progress",
    "completed": "Completed",
    "passed": "Passed",
    "failed": "Failed",
}
_ERRORS = {"expired": 401, "forbidden": 403, "superseded": 409}

JsonAnswer = tuple[Response, int]


# --- the player page ----------------------------------------------------------------------


def page_context(context: LaunchContext, token: str) -> dict[str, Any]:
    """What ``player/player.html`` needs around the SCO besides the run-time blob: the TOC
    and controls, the window the SCO opens in, where Exit goes, and the ``#player-nav`` JSON
    that ``static/js/player.js`` reads."""
    window = request.args.get("window")
    if window not in WINDOWS:
        window = context.launch_window if context.launch_window in WINDOWS else "same"
    return_to = safe_return_to(request.args.get("return_to"))
    keep = {"mode": request.args.get("mode"), "window": request.args.get("window"),
            "return_to": return_to}
    keep = {k: v for k, v in keep.items() if v and not (k == "mode" and v == "normal")}
    player = context.player
    assert player is not None
    left = url_for("player.left", token=token)
    if keep:
        left += "?" + urlencode(keep)
    nav = {
        "launch_path": url_for("runtime.launch", token=token),
        "keep": keep,
        "fresh": request.args.get("nav") is None,
        "window": window,
        "exit_url": return_to or left,
        "item": {"id": context.item_identifier, "title": context.item_title,
                 "type": context.scorm_type},
        "registration": context.registration_id,
        "endpoints": {"toc": url_for("player.toc"), "navigate": url_for("player.navigate")},
        "state": player.to_dict(),
        "labels": STATUS_LABELS,
    }
    return {"player": player, "nav": nav, "window": window, "status_labels": STATUS_LABELS}


def safe_return_to(value: str | None) -> str | None:
    """``value`` if Exit may go there: a path on this server, or an http(s) address on an
    allowed origin (ours, the LMS hosts allowed to frame the player,
    ``SCORM_PLAYER_RETURN_HOSTS``); else ``None``."""
    if not value or any(ch in value for ch in "\\\r\n\t") or len(value) > 2048:
        return None
    parts = urlsplit(value)
    if not parts.scheme and not parts.netloc:
        return value if value.startswith("/") and not value.startswith("//") else None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return None
    origin = f"{parts.scheme}://{parts.netloc.lower()}"
    return value if any(_allows(pattern, origin) for pattern in _return_hosts()) else None


def _return_hosts() -> list[str]:
    settings = services().settings
    return [
        *settings.return_hosts, *settings.frame_ancestors, origin_url(APP), origin_url(CONTENT)
    ]


def _allows(pattern: str, origin: str) -> bool:
    """An origin (``https://lms.example.com``; ``https://*.example.com`` for subdomains, as
    configuration parses them) against an origin."""
    return fnmatch.fnmatchcase(origin, pattern.lower())


# --- JSON endpoints --------------------------------------------------------------------------


@bp.get("/runtime/toc")
def toc() -> Response | JsonAnswer:
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token:
        return jsonify(error="forbidden", message="The run-time token is missing."), 403
    try:
        state = services().navigation.state_for_token(token)
    except (TokenRefused, CommitRefused) as error:
        return _refusal(error)
    response = jsonify(state.to_dict())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/runtime/navigate")
@csrf_exempt
def navigate() -> Response | JsonAnswer:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(
        isinstance(body.get(name), str) for name in ("token", "request")
    ) or not isinstance(body.get("target"), str | None):
        return jsonify(error="bad_request", message="Send {token, request, target}."), 400
    navigation = services().navigation
    carry = navigation.carry_out if body.get("carry_out") is True else navigation.check
    try:
        decision = carry(body["token"], body["request"], body.get("target"))
    except (TokenRefused, CommitRefused) as error:
        return _refusal(error)
    return jsonify(decision.to_dict())


def _refusal(error: TokenRefused | CommitRefused) -> JsonAnswer:
    return jsonify(error=error.reason, message=str(error)), _ERRORS.get(error.reason, 403)


# --- leaving --------------------------------------------------------------------------------


@bp.get("/launch/<token>/left")
def left(token: str) -> str | tuple[str, int]:
    try:
        course = services().navigation.left(token)
    except TokenExpired:
        return _error(403, "This link has expired", "Ask for a new link to the course.")
    except (TokenRefused, InvalidInput):
        return _error(403, "This link is not valid", "Check that the whole link was copied.")
    except CourseNotFound:
        return _error(404, "This course is no longer available", "")
    keep = {k: v for k in ("mode", "window") if (v := request.args.get(k))}
    if (return_to := safe_return_to(request.args.get("return_to"))) is not None:
        keep["return_to"] = return_to
    relaunch = url_for("runtime.launch", token=token)
    if keep:
        relaunch += "?" + urlencode(keep)
    return render_template("player/left.html", course=course, relaunch=relaunch)


def _error(code: int, title: str, message: str) -> tuple[str, int]:
    return render_template("player/error.html", code=code, title=title, message=message), code
