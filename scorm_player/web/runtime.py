"""The run-time: the player page and the JSON endpoints its API adapter talks to.

- ``GET /launch/<token>``: opens the launch (``services.launches``) and renders
  ``player/player.html`` with the JSON blob of docs/runtime-protocol.md section 2. The SCO's
  iframe has no ``src``: the adapter installs ``window.API`` / ``window.API_1484_11`` first,
  then loads ``launch_url`` (also on the iframe as ``data-launch-url``).
- ``POST /runtime/commit`` and ``POST /runtime/renew`` (section 3): authorised by the run-time
  token in the body, not by a cookie, so they are CSRF-exempt and accept ``text/plain``
  bodies from ``navigator.sendBeacon``, and deflated bodies (``services.tracking_body``),
  whatever the Content-Type. Every answer is JSON, errors included.
- ``GET /runtime/datamodel/<version>.json``: the data model definitions, cacheable.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, jsonify, make_response, render_template, request, url_for
from werkzeug.wrappers import Response

from scorm_player.datamodel import Version, export_json
from scorm_player.services import (
    CommitRefused,
    CourseNotFound,
    InvalidInput,
    LaunchContext,
    NothingToLaunch,
    TokenExpired,
    TokenRefused,
    tracking_body,
)
from scorm_player.services.navigation import NavigationRefused
from scorm_player.web import player
from scorm_player.web.auth import csrf_exempt
from scorm_player.web.common import services

log = logging.getLogger(__name__)

bp = Blueprint("runtime", __name__)

MAX_BODY_BYTES = 8 * 1024 * 1024  # a whole batch sent by fetch; sendBeacon parts are ~64 KiB
MAX_DECODED_BYTES = tracking_body.MAX_DECODED_BYTES  # what a deflated body may inflate to
COMMIT_INTERVAL_MS = 30_000
#: The HTTP status of each refusal the protocol names.
STATUS = {
    "expired": 401,
    "forbidden": 403,
    "superseded": 409,
    "gap": 409,
    "closed": 409,
    "invalid": 422,
}

JsonAnswer = tuple[Response, int]


class _BadRequest(Exception):
    """The body is not the JSON object the protocol describes (400)."""


class _TooLarge(_BadRequest):
    """The body is larger than :data:`MAX_BODY_BYTES` (413)."""


# --- the player page -----------------------------------------------------------------------


@bp.get("/launch/<token>")
def launch(token: str) -> Response | tuple[str, int]:
    try:
        context = services().launches.open_launch(
            token, mode=request.args.get("mode", "normal"), item=request.args.get("item"),
            nav=request.args.get("nav"),
        )
    except TokenExpired:
        return _page_error(403, "This link has expired", "Ask for a new link to the course.")
    except TokenRefused:
        return _page_error(403, "This link is not valid", "Check that the whole link was copied.")
    except CourseNotFound:
        return _page_error(404, "This course is no longer available", "")
    except NavigationRefused as error:
        return _page_error(
            409, "This part of the course is not available", str(error),
            relaunch=url_for("runtime.launch", token=token),
        )
    except (NothingToLaunch, InvalidInput) as error:
        return _page_error(404, "This course cannot be opened", str(error))
    launch_url = learner_url(context)
    response = make_response(
        render_template(
            "player/player.html", context=context, launch_url=launch_url,
            blob=runtime_blob(context, launch_url), **player.page_context(context, token),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the page holds a session token
    return response


def runtime_blob(context: LaunchContext, launch_url: str) -> dict[str, Any]:
    """The ``#scorm-runtime`` JSON (docs/runtime-protocol.md section 2)."""
    return {
        "version": context.version,
        "definitions": _definitions(context.version),
        "policy": context.policy,
        "mode": context.mode,
        "attempt": {
            "id": context.attempt_id,
            "number": context.attempt_number,
            "acked_seq": context.acked_seq,
            "item": context.item_identifier,
            "title": context.item_title,
        },
        "state": context.state,
        "data_maps": [
            {"id": m.id, "read_shared_data": m.read_shared_data,
             "write_shared_data": m.write_shared_data}
            for m in context.data_maps
        ],
        "token": context.token,
        "token_ttl": context.token_ttl,
        "endpoints": {
            "commit": url_for("runtime.commit"),
            "renew": url_for("runtime.renew"),
            "datamodel": url_for("runtime.datamodel", version=context.version),
        },
        "commit_interval_ms": COMMIT_INTERVAL_MS,
        "launch_url": launch_url,
        "storage_key": f"scorm-player:attempt:{context.attempt_id}",
    }


def learner_url(context: LaunchContext) -> str:
    """The SCO's URL under ``/learn/<scope>/`` (query and fragment kept), or as given when
    the manifest launches an absolute URL."""
    parts = urlsplit(context.launch_url)
    if parts.scheme or parts.netloc:
        return context.launch_url
    url = url_for("learn.serve", scope=context.content_scope, path=parts.path)
    if parts.query:
        url += f"?{parts.query}"
    if parts.fragment:
        url += f"#{parts.fragment}"
    return url


def _page_error(code: int, title: str, message: str, **extra: str) -> tuple[str, int]:
    page = render_template("player/error.html", code=code, title=title, message=message, **extra)
    return page, code


# --- commit and renew --------------------------------------------------------------------


@bp.post("/runtime/commit")
@csrf_exempt
def commit() -> Response | JsonAnswer:
    try:
        body = _json_body()
        token = _field(body, "token", str)
        attempt = _field(body, "attempt", int)
        seq = _field(body, "seq", int)
        changes = _field(body, "changes", list)
        final = _field(body, "final", bool, False)
        part = _field(body, "part", list, [1, 1])
        if len(part) != 2 or not all(_is(p, int) for p in part):
            raise _BadRequest("part must be [i, n].")
        result = services().tracking.apply_commit(
            token, attempt, seq, changes, final, (part[0], part[1])
        )
    except Exception as error:  # noqa: BLE001 - every answer is JSON, never a traceback
        return _json_error(error)
    if result.ack is None:
        assert result.pending is not None
        answer = jsonify(
            ack=None, pending=list(result.pending), missing=list(result.missing),
            status=result.status,
        )
        return answer, 202
    return jsonify(ack=result.ack, status=result.status)


@bp.post("/runtime/renew")
@csrf_exempt
def renew() -> Response | JsonAnswer:
    try:
        renewal = services().tracking.renew(_field(_json_body(), "token", str))
    except Exception as error:  # noqa: BLE001
        return _json_error(error)
    return jsonify(token=renewal.token, token_ttl=renewal.token_ttl)


def _json_body() -> dict[str, Any]:
    """The body as a JSON object, whatever the Content-Type (sendBeacon sends text/plain),
    inflated first if it is deflated (protocol section 3)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise _TooLarge()
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise _TooLarge()
    try:
        body = tracking_body.decode(raw, MAX_DECODED_BYTES)
    except tracking_body.BodyTooLarge:
        raise _TooLarge() from None
    except InvalidInput as error:
        raise _BadRequest(str(error)) from None
    if not isinstance(body, dict):
        raise _BadRequest("The body must be a JSON object.")
    return body


_MISSING = object()


def _field(body: dict[str, Any], name: str, kind: type, default: Any = _MISSING) -> Any:
    value = body.get(name, default)
    if value is _MISSING:
        raise _BadRequest(f"{name} is missing.")
    if not _is(value, kind):
        raise _BadRequest(f"{name} must be a {kind.__name__}.")
    return value


def _is(value: Any, kind: type) -> bool:
    """``isinstance``, except that ``true`` is not an ``int`` here."""
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def _json_error(error: Exception) -> JsonAnswer:
    if isinstance(error, CommitRefused):
        return jsonify(error.body()), STATUS.get(error.reason, 409)
    if isinstance(error, TokenRefused):
        return jsonify(error=error.reason, message=str(error)), STATUS[error.reason]
    if isinstance(error, _TooLarge):
        return jsonify(error="too_large", message="The body is too large; split it."), 413
    if isinstance(error, _BadRequest | InvalidInput):
        return jsonify(error="bad_request", message=str(error)), 400
    log.exception("run-time request failed")
    return jsonify(error="server_error", message="The server could not store this batch."), 500


# --- the data model ----------------------------------------------------------------------


@bp.get("/runtime/datamodel/<version>.json")
def datamodel(version: str) -> Response:
    if version not in ("1.2", "2004"):
        abort(404)
    response = jsonify(_definitions(version))  # type: ignore[arg-type]
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 3600
    response.add_etag()
    return response.make_conditional(request)


@lru_cache(maxsize=2)
def _definitions(version: Version) -> dict[str, Any]:
    return export_json(version)
