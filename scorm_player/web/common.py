"""Small helpers every blueprint uses: the app's services, and content negotiation."""

from __future__ import annotations

from flask import current_app, request

from scorm_player.services import Services

EXTENSION = "scorm_player"


def services() -> Services:
    """The services ``create_app`` built for this app."""
    return current_app.extensions[EXTENSION]


def wants_json() -> bool:
    """True when the client prefers JSON to HTML (our upload script; API clients)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"
