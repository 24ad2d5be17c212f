"""Page objects for the end-to-end suite (style.md section 5).

:class:`PlayerPage` is ``templates/player/player.html`` as a learner sees it: the save status
(a polite live region), the alert that says when saving stopped, the review badge and the
SCO's frame. :class:`ScoFrame` drives a probe SCO (``tests/fixtures/probe/probe.js``) from
inside that frame: the SCO found the API by the standard discovery walk, and every call goes
through it exactly as content would make it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, Self

from playwright.sync_api import Frame, Locator, Page, expect

# static/js/scorm-api.js MESSAGES, as the learner reads them.
SAVED = "All changes saved"
RETRYING = "Not saved — retrying"
SUPERSEDED = "This course was opened in another window; this window no longer saves."
REJECTED = "A change could not be saved and was dropped"

Call = Sequence[str]  # [method, *arguments], e.g. ["SetValue", "cmi.location", "p2"]
RECORDER = Path(__file__).with_name("api_recorder.js")


class Answer(NamedTuple):
    """What one API call returned, and GetLastError right after it."""

    result: str
    error: int


class ScoFrame:
    """The SCO in ``#sco-frame``. With a probe SCO loaded, :meth:`run` calls the API."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self._frame = page.frame_locator("#sco-frame")

    @property
    def api_name(self) -> Locator:
        """What the probe's discovery walk found: ``API``, ``API_1484_11`` or none."""
        return self._frame.locator("#api-name")

    def frame(self) -> Frame:
        """The frame itself, once the probe has looked for the API."""
        expect(self.api_name).not_to_have_text("looking...")
        frame = self._page.locator("#sco-frame").element_handle().content_frame()
        assert frame is not None
        return frame

    def run(self, calls: Sequence[Call]) -> list[Answer]:
        """Make ``calls`` in order from inside the SCO; each call's answer and error code."""
        script = "(calls) => window.probe.run(calls)"
        answers = self.frame().evaluate(script, [list(c) for c in calls])
        return [Answer(a["result"], int(a["error"])) for a in answers]


class PlayerPage:
    """The player page of one launch."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self.sco = ScoFrame(page)

    @classmethod
    def open(cls, page: Page, url: str) -> Self:
        """Open a launch link (the API is installed before the SCO loads). Returns once the
        server answered: what the test does next waits for what it needs."""
        page.goto(url, wait_until="commit")
        return cls(page)

    @property
    def page(self) -> Page:
        return self._page

    @property
    def save_status(self) -> Locator:
        return self._page.get_by_role("status")

    @property
    def message(self) -> Locator:
        """The alert shown when a change was dropped or this window stopped saving."""
        return self._page.get_by_role("alert")

    @property
    def heading(self) -> Locator:
        return self._page.get_by_role("heading", level=1)

    @property
    def left_heading(self) -> Locator:
        """The page the player shows once the SCO asked to leave (exitAll, suspendAll)."""
        return self._page.get_by_role("heading", name="You have left the course")

    @property
    def review_badge(self) -> Locator:
        return self._page.get_by_text("Review: nothing is recorded")

    def runtime(self) -> dict[str, Any]:
        """The ``#scorm-runtime`` blob the server rendered (docs/runtime-protocol.md 2)."""
        return json.loads(self._page.locator("#scorm-runtime").text_content() or "{}")

    def expect_saved(self) -> None:
        expect(self.save_status).to_have_text(SAVED)

    def flush(self) -> bool:
        """Send what the SCO changed and everything pending now; True once all is
        acknowledged (False: a batch was refused, or a send failed and waits for a retry)."""
        return bool(self._page.evaluate("() => window.scormPlayer.flush()"))

    def unsent(self) -> bool:
        """Whether the page keeps unacknowledged batches in ``localStorage[storage_key]``."""
        key = self.runtime()["storage_key"]
        return self._page.evaluate("(key) => localStorage.getItem(key) !== null", key)


class Recorded(NamedTuple):
    """One API call a SCO made: ``error`` is GetLastError right after it (``None`` for
    the error methods themselves)."""

    method: str
    args: tuple[str, ...]
    result: str
    error: str | None


class ApiRecorder:
    """Every API call the SCO makes on a page (``api_recorder.js``, installed before the
    player page's own scripts run, wraps the API object as scorm-api.js installs it)."""

    def __init__(self, page: Page) -> None:
        self._page = page

    @classmethod
    def install(cls, page: Page) -> Self:
        page.add_init_script(path=str(RECORDER))
        return cls(page)

    def calls(self) -> list[Recorded]:
        raw = self._page.evaluate("() => window.__scormCalls || []")
        return [Recorded(c["method"], tuple(c["args"]), c["result"], c["error"]) for c in raw]

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> list[Recorded]:
        """The calls, once the SCO has made none for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        count, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now = len(self._page.evaluate("() => window.__scormCalls || []"))
            if now != count:
                count, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            self._page.wait_for_timeout(50)
        return self.calls()
