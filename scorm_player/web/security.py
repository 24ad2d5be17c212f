"""Two origins in one process: the app origin and the content origin.

Theory of operation. Uploaded courses are arbitrary HTML and JavaScript. The browser keeps
one origin from reading or scripting another, so we serve them on an origin of their own:

- the **app origin** (``SCORM_PLAYER_APP_URL``) serves the management pages: sign-in, the
  course library, the preview page. It is the only origin with a session cookie
  (host-only, ``HttpOnly``, ``SameSite=Lax``; ``Secure`` and ``__Host-`` on HTTPS).
- the **content origin** (``SCORM_PLAYER_CONTENT_URL``) serves the player page, the run-time
  endpoints and course files. It has no session at all (:class:`OriginSessionInterface`
  hands every request there an empty, read-only one): scoped tokens authorise everything.

One process answers both and dispatches on the ``Host`` header (:func:`_dispatch`): every
endpoint belongs to one :class:`Surface` (:data:`SURFACES`, by blueprint), each surface to
one origin, and a request for an endpoint on the other origin is a 404, as is a request on
a host that is neither. With neither URL set, ``localhost`` is the app origin and
``127.0.0.1`` the content origin, on any port: two sites to the browser, so a local run is
isolated too. Each surface also has its headers (:func:`_headers`): a strict CSP on
management pages, ``frame-ancestors`` for the player (the LMS hosts of
``SCORM_PLAYER_FRAME_ANCESTORS``), course files framed by the content origin only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request
from flask.sessions import NullSession, SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Request, Response

from scorm_player.config import DEFAULT_PORTS, LOCAL_APP_HOST, LOCAL_CONTENT_HOST, Settings

APP = "app"
CONTENT = "content"
_EXTENSION = "scorm_player.origins"


class Surface(enum.Enum):
    """What a group of endpoints is, hence where it is served and with which headers."""

    MANAGEMENT = "management"  # designer pages: session, CSRF, strict CSP, never framed
    PLAYER = "player"  # the player page and its JSON endpoints: framed by the LMS hosts
    LEARNER_FILES = "learner files"  # /learn/<scope>/...: framed by the player
    PREVIEW_FILES = "preview files"  # /preview/<token>/...: framed by the preview page
    SHARED = "shared"  # /static: the app's own scripts and styles

    @property
    def origin(self) -> str | None:
        """``APP`` or ``CONTENT``; None for both."""
        return {Surface.MANAGEMENT: APP, Surface.SHARED: None}.get(self, CONTENT)


#: The surface of each blueprint (or app-level endpoint). Anything not listed is a
#: management page: served on the app origin only, never next to course content.
SURFACES: dict[str, Surface] = {
    "auth": Surface.MANAGEMENT,
    "library": Surface.MANAGEMENT,
    "browse": Surface.MANAGEMENT,  # makes a preview launch link, then leaves for the player
    "home": Surface.MANAGEMENT,
    "runtime": Surface.PLAYER,
    "player": Surface.PLAYER,
    "learn": Surface.LEARNER_FILES,
    "content": Surface.PREVIEW_FILES,
    "static": Surface.SHARED,
}

#: Management pages: our own scripts and styles only, no inline script, never framed.
#: ``frame-src`` adds the content origin (the preview page frames course files).
MANAGEMENT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; frame-src {content}"
)


def surface_of(endpoint: str | None) -> Surface | None:
    """The surface of an endpoint (``blueprint.view``), or None when nothing matched."""
    if endpoint is None:
        return None
    return SURFACES.get(endpoint.rpartition(".")[0] or endpoint, Surface.MANAGEMENT)


# --- the two origins --------------------------------------------------------------------


@dataclass(frozen=True)
class Origins:
    """The configured app and content URLs, or None for both: the local pair."""

    app_url: str | None
    content_url: str | None
    frame_ancestors: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> Origins:
        return cls(settings.app_url, settings.content_url, settings.frame_ancestors)

    @property
    def local(self) -> bool:
        return self.app_url is None

    def which(self, host: str) -> str | None:
        """``APP``, ``CONTENT`` or None for the ``Host`` header ``host``."""
        name, port = _split_host(host)
        if self.local:
            return {LOCAL_APP_HOST: APP, LOCAL_CONTENT_HOST: CONTENT}.get(name)
        for which, url in ((APP, self.app_url), (CONTENT, self.content_url)):
            parts = urlsplit(url)
            expected = parts.port or DEFAULT_PORTS[parts.scheme]
            if name == parts.hostname and port in (None, expected):
                return which
        return None

    def url(self, which: str, request: Request | None = None) -> str:
        """The base URL of an origin (no trailing slash). Locally it takes the scheme and
        port of ``request`` (the port both origins share), else plain ``http://host``."""
        configured = self.app_url if which == APP else self.content_url
        if configured:
            return configured
        host = LOCAL_APP_HOST if which == APP else LOCAL_CONTENT_HOST
        if request is None:
            return f"http://{host}"
        port = _split_host(request.host)[1]
        return f"{request.scheme}://{host}" + (f":{port}" if port else "")


def _split_host(host: str) -> tuple[str, int | None]:
    """``("example.com", 8443)`` for ``"Example.COM:8443"``; port None when absent or bad."""
    host = host.strip().lower()
    if host.startswith("["):  # IPv6 literal
        name, _, rest = host[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port_text = host.partition(":")
    return name, int(port_text) if port_text.isdigit() else None


def origins(app: Flask | None = None) -> Origins:
    return (app or current_app).extensions[_EXTENSION]


def on_origin(request_: Request | None = None) -> str | None:
    """Which origin this request came to (``APP``, ``CONTENT``, or None for neither)."""
    return origins().which((request_ or request).host)


def origin_url(which: str) -> str:
    """The base URL of ``APP`` or ``CONTENT`` for links from the current request."""
    return origins().url(which, request)


def content_url(path: str) -> str:
    """An absolute URL on the content origin (launch links, preview frames)."""
    return origin_url(CONTENT) + path


def app_url(path: str) -> str:
    """An absolute URL on the app origin."""
    return origin_url(APP) + path


def origin_for_path(app: Flask, path: str, method: str = "GET") -> str:
    """The origin that serves ``path`` (``APP`` for paths nothing serves, and for /static)."""
    adapter = app.url_map.bind("placeholder")
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method=method)
    except HTTPException:
        return APP
    surface = surface_of(endpoint)
    return CONTENT if surface is not None and surface.origin == CONTENT else APP


# --- sessions: none on the content origin ------------------------------------------------


class ContentOriginSession(NullSession):
    """The content origin's session: always empty, and writing to it is a bug."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("The content origin has no session: it is authorised by tokens.")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail


class OriginSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session on the app origin; nothing at all elsewhere, even if a
    cookie named like ours arrives (a content page can set cookies on its own host)."""

    null_session_class = ContentOriginSession

    def open_session(self, app: Flask, request: Request) -> Any:
        if origins(app).which(request.host) != APP:
            return self.make_null_session(app)
        return super().open_session(app, request)


def cookie_settings(settings: Settings) -> dict[str, Any]:
    """The session cookie: host-only on the app origin, ``__Host-`` and ``Secure`` on
    HTTPS (so no sibling host, the content origin included, can plant or overwrite it)."""
    secure = (settings.app_url or "").startswith("https://")
    return {
        "SESSION_COOKIE_NAME": "__Host-session" if secure else "session",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_DOMAIN": None,  # host-only
        "SESSION_COOKIE_PATH": "/",
    }


# --- dispatch and headers ------------------------------------------------------------------


def init_app(app: Flask, settings: Settings) -> None:
    """Install the dispatch and the headers. Call before registering blueprints, so the
    dispatch runs before any blueprint's own hooks (the CSRF check among them)."""
    app.extensions[_EXTENSION] = Origins.from_settings(settings)
    app.session_interface = OriginSessionInterface()
    app.before_request(_dispatch)
    app.after_request(_headers)
    app.add_template_global(content_url, "content_url")
    app.add_template_global(app_url, "app_url")


def _dispatch() -> None:
    which = on_origin()
    g.origin = which
    if which is None:
        abort(404, description=_unknown_host_message())
    surface = surface_of(_endpoint())
    if surface is not None and surface.origin not in (which, None):
        abort(404)
    if which == APP and _cross_site_subrequest():
        abort(403, description="This page cannot be requested from another site.")
    if which == CONTENT and request.headers.get("Service-Worker") == "script":
        abort(403, description="Course content cannot install service workers.")


def _endpoint() -> str | None:
    """The matched endpoint; for a wrong method, the endpoint the path belongs to."""
    if request.url_rule is not None:
        return request.url_rule.endpoint
    error = request.routing_exception
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        adapter = current_app.create_url_adapter(request)
        assert adapter is not None
        try:
            rule, _ = adapter.match(method=error.valid_methods[0], return_rule=True)
        except HTTPException:
            return None
        return rule.endpoint
    return None


def _cross_site_subrequest() -> bool:
    """Fetch Metadata: a fetch, script, frame or form post sent by another site or host
    (the content origin is one). Only top-level navigations by GET may come from elsewhere
    (a link to the library); browsers without these headers are left to the CSRF token."""
    site = request.headers.get("Sec-Fetch-Site")
    if site in (None, "same-origin", "none"):
        return False
    top_level = (
        request.headers.get("Sec-Fetch-Mode") == "navigate"
        and request.headers.get("Sec-Fetch-Dest", "document") == "document"
    )
    return not (top_level and request.method in ("GET", "HEAD"))


def _unknown_host_message() -> str:
    found = origins()
    if found.local:
        return (
            f"This server answers on {LOCAL_APP_HOST} (the course library) and "
            f"{LOCAL_CONTENT_HOST} (courses). Set SCORM_PLAYER_APP_URL and "
            "SCORM_PLAYER_CONTENT_URL to serve other host names."
        )
    return "This server does not answer to this host name."


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")  # tokens in URLs stay home
    which = getattr(g, "origin", None)
    surface = surface_of(request.url_rule.endpoint if request.url_rule else None)
    if which is not None and (surface is None or surface.origin not in (which, None)):
        # An error page: no endpoint, or one that belongs to the other origin.
        surface = Surface.MANAGEMENT if which == APP else Surface.LEARNER_FILES
    found = origins()
    if surface is Surface.MANAGEMENT:
        headers["Content-Security-Policy"] = MANAGEMENT_CSP.format(
            content=origin_url(CONTENT)
        )
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
    elif surface is Surface.PLAYER:
        _frame_ancestors(headers, found.frame_ancestors, self_too=False)
    elif surface is Surface.LEARNER_FILES:
        _frame_ancestors(headers, found.frame_ancestors)
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
    elif surface is Surface.PREVIEW_FILES:
        _frame_ancestors(headers, [origin_url(APP)])
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
    elif surface is Surface.SHARED:
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
    else:  # a host we do not serve
        headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    return response


def _frame_ancestors(headers: Any, allowed: Iterable[str], *, self_too: bool = True) -> None:
    """CSP ``frame-ancestors`` checks every ancestor, not just the parent: course files
    framed by the player must also allow whoever frames the player (the LMS hosts)."""
    sources = (["'self'"] if self_too else []) + list(allowed)
    headers["Content-Security-Policy"] = "frame-ancestors " + (" ".join(sources) or "'none'")
    if sources == ["'self'"]:
        headers["X-Frame-Options"] = "SAMEORIGIN"  # browsers without CSP level 2
    elif not sources:
        headers["X-Frame-Options"] = "DENY"
