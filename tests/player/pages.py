"""Page objects for the player: the page around the SCO, and the test SCOs in it."""

from __future__ import annotations

import re
from typing import Any, Self

from playwright.sync_api import FrameLocator, Locator, Page, expect


class ScoPage:
    """A fixture SCO page (tests/fixtures/packages/player-*/shared/sco.js)."""

    def __init__(self, root: FrameLocator | Page) -> None:
        self._root = root

    def click(self, name: str) -> None:
        self._root.get_by_role("button", name=name, exact=True).click()

    def value(self, name: str) -> Locator:
        """An ``<output>`` of the SCO page: learner, entry, location, status."""
        return self._root.locator(f"#{name}")

    def said(self) -> Locator:
        return self._root.locator("#log")


class GolfSco:
    """A Rustici "Golf Explained" sample SCO (``shared/launchpage.html``): its pages open in
    ``#contentFrame`` behind "<- Previous" / "Next ->"; a test is one page, a quiz whose
    correct answers carry the class ``correctAnswer`` (numeric ones show the number)."""

    def __init__(self, root: FrameLocator) -> None:
        self._root = root
        self._content = root.locator("#contentFrame")

    def read_to_the_end(self) -> None:
        """Page through with "Next ->": the last page sets completed (and passed, in a SCO
        without a test) and commits."""
        expect(self._content).not_to_have_attribute("src", "")  # doStart ran: the bookmark is set
        next_page = self._root.get_by_role("button", name="Next ->")
        while next_page.is_enabled():
            next_page.click()

    def answer_quiz(self, *, correctly: bool) -> None:
        """Submit the quiz: every answer right (score 100: passed) or none given (score 0:
        failed); the SCO sets its score, completion and success, and commits on Terminate."""
        quiz = self._root.frame_locator("#contentFrame")
        submit = quiz.get_by_role("button", name="Submit Answers")
        expect(submit).to_be_visible()
        if correctly:
            for choice in quiz.locator(".correctAnswer input[type=radio]").all():
                choice.check()
            for numeric in quiz.locator(".correctAnswer:has(input[type=text])").all():
                answer = re.search(r"\((\d+)\)", numeric.text_content() or "")
                assert answer is not None, numeric.inner_html()
                numeric.locator("input").fill(answer.group(1))
        submit.click()
        expect(quiz.get_by_role("heading", name=re.compile(r"^Score: "))).to_be_visible()


class PlayerPage:
    """The player page of one launch."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self.sco = ScoPage(page.frame_locator("#sco-frame"))
        self.golf = GolfSco(page.frame_locator("#sco-frame"))

    @classmethod
    def open(cls, page: Page, url: str) -> Self:
        page.goto(url)
        page.wait_for_function("() => window.scormPlayer && window.scormPlayer.state")
        return cls(page)

    @property
    def page(self) -> Page:
        return self._page

    def control(self, name: str) -> Locator:
        """A control by its ``data-nav`` name: previous, continue, exit, exit-all, ..."""
        return self._page.locator(f'[data-nav="{name}"]')

    def toc_item(self, item: str) -> Locator:
        return self._page.locator(f'[role="treeitem"][data-item-id="{item}"]')

    @property
    def tree(self) -> Locator:
        return self._page.get_by_role("tree", name="Course contents")

    @property
    def toggle(self) -> Locator:
        return self._page.get_by_role("button", name="Table of contents", exact=True)

    @property
    def title(self) -> Locator:
        return self._page.get_by_role("heading", level=1)

    def state(self) -> dict[str, Any]:
        return self._page.evaluate("() => window.scormPlayer.state()")

    def status(self, item: str) -> str:
        return self.state()["items"][item]["status"]

    def choosable(self) -> list[str]:
        """The items a choice in the TOC would open now, sorted (``state().items[*].enabled``)."""
        return sorted(item for item, shown in self.state()["items"].items() if shown["enabled"])

    @property
    def left_heading(self) -> Locator:
        """The page the player shows once the learner left the course (Exit, Suspend and exit)."""
        return self._page.get_by_role("heading", name="You have left the course")

    def expect_status(self, item: str, status: str) -> None:
        """Wait until ``item`` shows ``status``: its TOC entry, or for an item the TOC does not
        list (inside an invisible cluster) the player's state, which the same answer updates."""
        if self.toc_item(item).count():
            expect(self.toc_item(item)).to_have_attribute("data-status", status)
        else:
            self._page.wait_for_function(
                "([item, status]) => window.scormPlayer.state().items[item].status === status",
                arg=[item, status],
            )

    def go(self, control: str, item: str) -> Self:
        """Use a control (previous, continue) and wait for ``item``'s launch."""
        self.control(control).click()
        return self.wait_for(item)

    def choose(self, item: str) -> Self:
        self.toc_item(item).click()
        return self.wait_for(item)

    def wait_for(self, item: str) -> Self:
        """Wait until the player shows ``item`` (after a full page load)."""
        self._page.wait_for_function(
            "(item) => window.scormPlayer && window.scormPlayer.state"
            " && window.scormPlayer.state().current === item",
            arg=item,
        )
        if self.toc_item(item).count():  # the TOC (rendered with the page) lists it
            expect(self.toc_item(item)).to_have_attribute("aria-current", "location")
        return self
