"""Sign-in for designers, and CSRF protection for every form.

CSRF: each session gets one random token; every POST (and PUT, PATCH, DELETE) must echo it in
the ``csrf_token`` form field or the ``X-CSRF-Token`` header. Together with ``SameSite=Lax``
cookies that stops another site from submitting our forms, with no extra dependency. Views
that are authorised some other way (the run-time API later) opt out with :func:`csrf_exempt`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session
from flask import url_for
from flask_login import UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from scorm_player.storage.records import User
from scorm_player.web.common import services

bp = Blueprint("auth", __name__, url_prefix="/auth")

CSRF_SESSION_KEY = "_csrf_token"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

F = TypeVar("F", bound=Callable[..., Any])


class Designer(UserMixin):
    """The signed-in account as Flask-Login wants it (the record stays Flask-free)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.id = user.id
        self.username = user.username
        self.role = user.role

    def get_id(self) -> str:
        return str(self.user.id)


def load_user(user_id: str) -> Designer | None:
    """Flask-Login's user loader: the session holds the account id."""
    try:
        user = services().users.get(int(user_id))
    except ValueError:
        return None
    return Designer(user) if user else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    target = _safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(target)
    if request.method == "GET":
        return render_template("auth/login.html", next=target)
    username = request.form.get("username", "")
    user = services().users.authenticate(username, request.form.get("password", ""))
    if user is None:
        error = "That user name and password do not match an account."
        return render_template("auth/login.html", next=target, error=error, username=username), 401
    session.clear()  # a fresh session (and CSRF token) for the signed-in user
    login_user(Designer(user))
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("library.index")


# --- CSRF -----------------------------------------------------------------------------------


def csrf_token() -> str:
    """This session's token (made on first use); templates call it as ``csrf_token()``."""
    token = session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_SESSION_KEY] = token
    return token


def csrf_exempt(view: F) -> F:
    """Mark a view whose requests are authorised otherwise (a bearer token, a signature)."""
    view._csrf_exempt = True  # type: ignore[attr-defined]
    return view


@bp.before_app_request
def _check_csrf() -> None:
    if request.method not in _UNSAFE_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "_csrf_exempt", False):
        return
    expected = session.get(CSRF_SESSION_KEY)
    # The header first: reading the form would parse (and size-check) an upload body.
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    if not expected or not sent or not hmac.compare_digest(str(sent), str(expected)):
        abort(400, description="The form had expired or did not come from this site. "
              "Go back, reload the page and try again.")


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token}
