"""The end-to-end suite: real launch links opened in headless Chromium against a live server.

One server per package (``server``): the app on a real socket (werkzeug, threaded), SQLite in
a temporary folder, the fixture courses imported once (:meth:`LiveServer.course`). Every test
gets its own browser context (``context``/``page``) and its own learners (``learner``), so
tests never share a registration. What the server stored is read back through the tracking
service (:meth:`LiveServer.results`), as an LMS reads it.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests import live_server
from tests.e2e.pages import Answer, Call, PlayerPage
from tests.runtime_support import commit_log

SECRET_KEY = "e2e secret"


# region The live server


class LiveServer(live_server.LiveServer):
    """The app on a real socket, and the service calls tests make around it."""

    def preview_link(self, course_id: str, designer: str, *, item: str | None = None) -> str:
        """A designer's browse-mode preview link (its registration is kept out of results)."""
        token = self.services.launches.make_preview_token(course_id, designer)
        return f"{self.url}/launch/{token}" + (f"?{urlencode({'item': item})}" if item else "")

    def results(self, course_id: str, learner: str) -> dict[str, Any]:
        """The learner's results as ``scorm-player results --json`` prints them."""
        return self.services.tracking.results(course_id, learner).to_dict()

    def sco(self, course_id: str, learner: str, item: str) -> dict[str, Any]:
        """One SCO's row of :meth:`results`."""
        return next(s for s in self.results(course_id, learner)["scos"] if s["item"] == item)

    def applied(self, attempt_id: int) -> list[tuple[str, str]]:
        """Every change the server applied to the attempt, batch after batch (its log)."""
        rows = sorted(commit_log(self.services, attempt_id), key=lambda row: row.seq)
        return [(name, value) for row in rows for name, value in row.changes]


def start_server(folder: Path, **config: Any) -> LiveServer:
    """Serve a fresh app (SQLite in ``folder``); ``config`` overrides settings by name."""
    return LiveServer.start(folder, secret_key=SECRET_KEY, **config)


@pytest.fixture(scope="package", name="server")
def server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("e2e")
    with live_server.serving(LiveServer, folder, secret_key=SECRET_KEY) as live:
        yield live


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``check`` until it returns something truthy (what arrives by beacon lands a
    moment after the page is gone, with nothing on a page left to wait on)."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {timeout} s")
        time.sleep(0.05)
    return result


# endregion
# region Courses and learners


@pytest.fixture(name="probe12")
def probe12_fixture(server: LiveServer) -> str:
    """The SCORM 1.2 probe course: ``sco-one`` (mastery score 80, launch data, time limit)
    and ``sco-two`` (no manifest extras)."""
    return server.course("probe-scorm12")


@pytest.fixture(name="probe2004")
def probe2004_fixture(server: LiveServer) -> str:
    """The SCORM 2004 probe course: ``sco-one`` (threshold 0.75, passing score 0.8, two
    objectives, launch data, time limit) and ``sco-two`` (no extras)."""
    return server.course("probe-scorm2004")


@pytest.fixture(name="settings2004")
def settings2004_fixture(server: LiveServer) -> str:
    """``rt-scorm2004-settings``: one probe item per manifest setting the vectors need."""
    return server.course("rt-scorm2004-settings")


@pytest.fixture(name="learner")
def learner_fixture(request: pytest.FixtureRequest) -> str:
    """A learner id no other test uses (so a fresh registration)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)[:40]
    return f"learner-{name}-{uuid.uuid4().hex[:8]}"


# endregion
# region Browser


@pytest.fixture(scope="package", autouse=True)
def _patient_expect() -> Iterator[None]:
    """``expect`` waits up to 10 s here: a busy CI machine can take more than the default 5
    to load a player page, and nothing here waits that long when all is well."""
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture(name="context")
def context_fixture(chromium: Any) -> Iterator[BrowserContext]:
    context = chromium.new_context()
    yield context
    context.close()


@pytest.fixture(name="page")
def page_fixture(context: BrowserContext) -> Iterator[Page]:
    """A tab; the test fails if a script on it threw."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []


Launch = Callable[..., PlayerPage]


@pytest.fixture(name="launch")
def launch_fixture(server: LiveServer, page: Page) -> Launch:
    """``launch(course, learner, item=None, mode=None, page=page)``: open the course's launch
    link in a tab (this test's ``page`` unless told) and return the player."""

    def open_player(
        course_id: str,
        learner: str,
        *,
        item: str | None = None,
        mode: str | None = None,
        page: Page = page,
    ) -> PlayerPage:
        return PlayerPage.open(page, server.link(course_id, learner, item=item, mode=mode))

    return open_player


# endregion
# region Learners visiting SCOs

# Each version's API method names, by the data model's names for them (tests.datamodel.steps).
API = {
    "1.2": {
        "initialize": "LMSInitialize", "terminate": "LMSFinish", "commit": "LMSCommit",
        "get_value": "LMSGetValue", "set_value": "LMSSetValue",
        "get_last_error": "LMSGetLastError", "get_error_string": "LMSGetErrorString",
    },
    "2004": {
        "initialize": "Initialize", "terminate": "Terminate", "commit": "Commit",
        "get_value": "GetValue", "set_value": "SetValue",
        "get_last_error": "GetLastError", "get_error_string": "GetErrorString",
    },
}

# A SCO that ends with one of these navigation requests takes the learner out of the course.
LEAVING = [["adl.nav.request", request] for request in ("exitAll", "abandonAll", "suspendAll")]
LEAVING += [["cmi.exit", value] for value in ("time-out", "logout")]  # 2004: exitAll


@dataclass
class Learner:
    """One learner's visits to the SCOs of one course, each through a launch link."""

    server: LiveServer
    launch: Launch
    id: str
    course: str

    def finish(self, item: str, calls: list[Call]) -> list[Answer]:
        """A visit: Initialize, ``calls`` (each must succeed), Terminate. Returns once the
        server closed the session (the player may then carry out a nav request)."""
        player = self.launch(self.course, self.id, item=item)
        api = API[player.runtime()["version"]]
        answers = player.sco.run([[api["initialize"], ""], *calls, [api["terminate"], ""]])
        assert [a for a in answers if a.error != 0] == []
        eventually(lambda: self.stored(item)["attempt_status"] != "active")
        if any(list(call[1:]) in LEAVING for call in calls):  # the player leaves the course
            expect(player.left_heading).to_be_visible()
        return answers

    def stored(self, item: str) -> dict[str, Any]:
        """What the server holds for this learner on ``item``."""
        return self.server.sco(self.course, self.id, item)

    def reopen(self, item: str, calls: list[Call]) -> list[Answer]:
        """The next visit: Initialize, then ``calls``; their answers."""
        player = self.launch(self.course, self.id, item=item)
        api = API[player.runtime()["version"]]
        return player.sco.run([[api["initialize"], ""], *calls])[1:]


@pytest.fixture(name="as_learner")
def as_learner_fixture(
    server: LiveServer, launch: Launch, learner: str
) -> Callable[[str], Learner]:
    """``as_learner(course)``: this test's learner on ``course``."""
    return lambda course: Learner(server, launch, learner, course)


@pytest.fixture(name="on12")
def on12_fixture(as_learner: Callable[[str], Learner], probe12: str) -> Learner:
    """This test's learner on the SCORM 1.2 probe course."""
    return as_learner(probe12)


@pytest.fixture(name="on2004")
def on2004_fixture(as_learner: Callable[[str], Learner], settings2004: str) -> Learner:
    """This test's learner on ``rt-scorm2004-settings``."""
    return as_learner(settings2004)


# endregion
