"""The player in a real browser: a live server with the player's fixture courses imported.

One server for the package (``live``): the app on a real socket, SQLite in a temporary
folder, one designer account. Every test gets its own browser context and its own learner,
so tests never share a registration. Launch links go to the content origin (127.0.0.1, see
``scorm_player.web.security``); designer pages are on the app origin (localhost).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.live_server import DESIGNER, PASSWORD, LiveServer, serving

pytestmark = pytest.mark.browser

__all__ = ["DESIGNER", "PASSWORD", "Live"]
PREREQ_12 = "player-scorm12-prereq"
FLOW_2004 = "player-scorm2004-flow"


class Live(LiveServer):
    """The live app, and the service calls tests make around it."""

    learner_name = "Liddell, Alice"

    def results(self, course_id: str, learner: str) -> dict[str, dict[str, Any]]:
        """The learner's results per item, as an LMS reads them."""
        found = self.services.tracking.results(course_id, learner).to_dict()
        return {sco["item"]: sco for sco in found["scos"]}


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("player")
    with serving(Live, folder, secret_key="player secret", designer=True) as server:
        yield server


@pytest.fixture
def prereq12(live: Live) -> str:
    """Welcome; Module 1 (Lesson, Handout: both need Welcome); Quiz (needs Lesson and
    Handout, mastery 80); Notes (hidden asset)."""
    return live.course(PREREQ_12)


@pytest.fixture
def flow2004(live: Live) -> str:
    """Introduction; Chapter 1 (Page 1, Page 2); Checkpoint (hideLMSUI previous,
    continue); Summary (an asset)."""
    return live.course(FLOW_2004)


@pytest.fixture
def learner(request: pytest.FixtureRequest) -> str:
    """A learner no other test uses."""
    return f"learner-{request.node.name[:40]}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def context(chromium: Any) -> Iterator[BrowserContext]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
