"""A hostile SCO, played in Chromium while a designer is signed in in the same browser.

tests/fixtures/packages/hostile-sco behaves with the API (Initialize, SetValue, Commit),
then tries what a malicious course would: read or post to the management pages with the
designer's cookies (fetch, no-cors, XHR, a form posted into a frame, a script tag, a frame,
a window), read ``document.cookie``, reach the management origin through ``top`` and
``parent``, commit into another learner's attempt with its own token, read another course's
files through every route, install a service worker. It writes each outcome into its page.

Every attempt must come back ``blocked``, the server must have answered none of them with
data (its request log says what the browser hid from the page), and the legitimate commit
must be saved.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, FrameLocator, Page, expect

from scorm_player.services import Services
from tests.isolation.conftest import DESIGNER, PASSWORD, Live
from tests.runtime_support import launch
from tests.zipping import fixture_zip

pytestmark = pytest.mark.browser

HOSTILE = "hostile-sco"
VICTIM_COURSE = "probe-scorm2004"
VICTIM_SECRET = "victim-bookmark"


@pytest.fixture
def context(chromium: Any) -> Iterator[BrowserContext]:
    context = chromium.new_context()
    yield context
    context.close()


@pytest.fixture
def courses(live: Live, tmp_path: Any) -> dict[str, Any]:
    """The hostile course, and another course where another learner left data."""
    services = live.services
    hostile = services.courses.import_zip(fixture_zip(HOSTILE, tmp_path)).course.id
    other = services.courses.import_zip(fixture_zip(VICTIM_COURSE, tmp_path)).course.id
    victim = launch(services, other, learner="victim", name="Victim, Vera")
    victim.commit(("cmi.location", VICTIM_SECRET))
    return {"hostile": hostile, "other": other, "victim_attempt": victim.attempt_id}


def sign_in(context: BrowserContext, live: Live, courses: dict[str, Any]) -> tuple[Page, str]:
    """A designer's tab, signed in on the app origin, and the session cookie's value. Every
    later page of the context gets the SCO's targets (``window.hostileTargets``)."""
    page = context.new_page()
    page.goto(f"{live.app_url}/auth/login")
    page.get_by_label("User name").fill(DESIGNER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Course library")).to_be_visible()
    targets = {"otherCourse": courses["other"], "victimAttempt": courses["victim_attempt"]}
    context.add_init_script(f"window.hostileTargets = {json.dumps(targets)}")
    cookie = next(c["value"] for c in context.cookies() if c["name"] == "session")
    return page, cookie


def outcomes(sco: FrameLocator) -> dict[str, dict[str, str]]:
    """The SCO's outcomes, once it says it is done."""
    expect(sco.locator("body[data-done='true']")).to_be_attached(timeout=30_000)
    items = sco.locator("#outcomes li")
    found: dict[str, dict[str, str]] = {}
    for index in range(items.count()):
        item = items.nth(index)
        found[item.get_attribute("data-attack") or ""] = {
            "outcome": item.get_attribute("data-outcome") or "",
            "text": item.inner_text(),
        }
    return found


def assert_all_blocked(found: dict[str, dict[str, str]], cookie: str) -> None:
    attacks = {name: o for name, o in found.items() if o["outcome"] != "info"}
    assert len(attacks) >= 18, sorted(found)
    leaks = {name: o["text"] for name, o in attacks.items() if o["outcome"] != "blocked"}
    assert leaks == {}
    assert all(cookie not in o["text"] for o in found.values())


def assert_server_gave_nothing(live: Live) -> None:
    """No request another site sent to the app origin was answered with data, except
    top-level navigations (a window the SCO opened, which it cannot read)."""
    app_host = f"localhost:{live.port}"
    foreign = [s for s in live.log.seen
               if s.host == app_host and s.site not in (None, "same-origin", "none")]
    assert foreign, "the hostile SCO reached the app origin at all"
    answered = [s for s in foreign if s.status < 400
                and not (s.mode == "navigate" and s.dest == "document" and s.method == "GET")]
    assert answered == []
    posts = [s for s in foreign if s.method == "POST"]
    assert posts and all(s.status == 403 for s in posts)


def test_a_hostile_sco_launched_by_a_learner_gets_nothing(
    live: Live, context: BrowserContext, courses: dict[str, Any]
) -> None:
    services: Services = live.services
    designer, cookie = sign_in(context, live, courses)
    token = services.launches.make_link_token(courses["hostile"], "mallory", "Mallory, M")

    learner = context.new_page()
    learner.goto(f"{live.content_url}/launch/{token}")
    found = outcomes(learner.frame_locator("#sco-frame"))

    assert_all_blocked(found, cookie)
    assert "Commit true" in found["legit: the run-time API"]["text"], found
    assert "SetValue true" in found["legit: the run-time API"]["text"]
    assert_server_gave_nothing(live)
    # The legitimate commit is saved; the other learner's data and the library are untouched.
    deadline = time.monotonic() + 15
    while _location(services, courses["hostile"], "mallory") != "hostile-p1":
        assert time.monotonic() < deadline, "the SCO's own commit was not saved"
        time.sleep(0.2)
    assert _location(services, courses["other"], "victim") == VICTIM_SECRET
    assert len(services.courses.list()) == 2
    # The designer is still signed in, on a page the SCO could not touch.
    designer.reload()
    expect(designer.get_by_role("heading", name="Course library")).to_be_visible()


def test_a_hostile_sco_in_a_designers_preview_gets_nothing(
    live: Live, context: BrowserContext, courses: dict[str, Any]
) -> None:
    page, cookie = sign_in(context, live, courses)

    page.goto(f"{live.app_url}/courses/{courses['hostile']}/preview/hostile")
    found = outcomes(page.frame_locator("iframe.preview__frame"))

    assert_all_blocked(found, cookie)
    # Here the SCO's parent and top are the management page itself: cross-origin, unreadable.
    for name in ("reach the management origin through window.top",
                 "reach the management origin through window.parent"):
        assert "SecurityError" in found[name]["text"], found[name]
    assert_server_gave_nothing(live)
    assert len(live.services.courses.list()) == 2
    expect(page.get_by_role("heading", name="Hostile SCO")).to_be_visible()  # still our page


def _location(services: Services, course_id: str, learner: str) -> str | None:
    results = services.tracking.results(course_id, learner).to_dict()
    for sco in results["scos"]:
        if sco.get("location"):
            return str(sco["location"])
    return None
