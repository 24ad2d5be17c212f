"""Small helpers for storage, service, CLI and web tests."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from flask.testing import FlaskClient


def csrf_token(client: FlaskClient) -> str:
    """The session's CSRF token, as a page would have put it in its forms."""
    from scorm_player.web.auth import CSRF_SESSION_KEY

    with client.session_transaction() as session:
        token = session.setdefault(CSRF_SESSION_KEY, uuid.uuid4().hex)
    return token


def form_token(html: str) -> str:
    """The CSRF token embedded in a rendered form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def files_under(folder: Path) -> list[Path]:
    """Every regular file below ``folder`` (empty folders are not leftovers)."""
    if not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())
