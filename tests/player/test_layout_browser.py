"""The player's layout and keyboard use: a phone-sized drawer, the ARIA tree."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from tests.player.conftest import Live
from tests.player.pages import PlayerPage


def test_on_a_phone_the_contents_are_a_closed_drawer_that_the_toggle_opens(
    live: Live, context: BrowserContext, flow2004: str, learner: str, tmp_path: Path
) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 740})
    player = PlayerPage.open(page, live.link(flow2004, learner))
    page.screenshot(path=str(tmp_path / "phone-closed.png"))

    expect(player.tree).to_be_hidden()
    expect(player.toggle).to_have_attribute("aria-expanded", "false")
    frame = page.locator("#sco-frame").bounding_box()
    assert frame is not None and frame["width"] == 375  # the SCO gets the whole width
    for control in ("previous", "continue", "suspend-all", "exit-all"):
        box = player.control(control).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375

    player.toggle.click()

    expect(player.tree).to_be_visible()
    expect(player.toggle).to_have_attribute("aria-expanded", "true")
    expect(player.toc_item("intro")).to_be_focused()
    page.screenshot(path=str(tmp_path / "phone-open.png"))

    page.keyboard.press("Escape")
    expect(player.tree).to_be_hidden()
    expect(player.toggle).to_be_focused()

    player.toggle.click()
    player.choose("page2")  # a choice from the drawer
    expect(player.tree).to_be_hidden()


def test_on_a_wide_screen_the_contents_show_and_collapse(
    live: Live, page: Page, flow2004: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(flow2004, learner))

    expect(player.tree).to_be_visible()
    expect(player.toggle).to_have_attribute("aria-expanded", "true")
    player.toggle.click()
    expect(player.tree).to_be_hidden()
    expect(player.toggle).to_have_attribute("aria-expanded", "false")


def test_the_contents_are_a_keyboard_tree(
    live: Live, page: Page, flow2004: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(flow2004, learner))
    intro, chapter = player.toc_item("intro"), player.toc_item("chapter")
    expect(intro).to_have_attribute("tabindex", "0")  # the one tab stop: the current item
    expect(chapter).to_have_attribute("aria-expanded", "true")
    named = re.compile(r"^Introduction\s*, In progress, current$")  # status read after the title
    expect(page.get_by_role("treeitem", name=named)).to_be_visible()

    intro.focus()
    page.keyboard.press("ArrowDown")
    expect(chapter).to_be_focused()
    page.keyboard.press("ArrowLeft")  # collapse
    expect(chapter).to_have_attribute("aria-expanded", "false")
    expect(player.toc_item("page1")).to_be_hidden()
    page.keyboard.press("ArrowDown")  # skips the collapsed items
    expect(player.toc_item("checkpoint")).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")  # expand
    expect(chapter).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowRight")  # into the group
    expect(player.toc_item("page1")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")  # to the parent
    expect(chapter).to_be_focused()
    page.keyboard.press("End")
    expect(player.toc_item("summary")).to_be_focused()
    page.keyboard.press("Home")  # the course itself: the tree's top entry
    expect(player.toc_item("org_player2004")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(intro).to_be_focused()
    page.keyboard.press("ArrowLeft")  # a part at the top of the course: to the course
    expect(player.toc_item("org_player2004")).to_be_focused()

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    player.wait_for("page1")
    expect(player.toc_item("page1")).to_have_attribute("tabindex", "0")


def test_a_2004_course_is_the_top_entry_of_its_contents_tree(
    live: Live, page: Page, flow2004: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(flow2004, learner))
    course = player.toc_item("org_player2004")

    expect(player.tree.locator(":scope > [role=treeitem]")).to_have_count(1)
    expect(course).to_have_attribute("aria-level", "1")
    expect(course).to_have_attribute("aria-expanded", "true")
    expect(course).to_have_attribute("data-nav", "choice")
    expect(player.toc_item("intro")).to_have_attribute("aria-level", "2")
    expect(player.toc_item("page1")).to_have_attribute("aria-level", "3")


def test_a_12_course_has_no_entry_for_its_organization(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(prereq12, learner))
    expect(player.toc_item("welcome")).to_have_attribute("aria-level", "1")


def test_controls_have_accessible_names(
    live: Live, page: Page, flow2004: str, prereq12: str, learner: str
) -> None:
    PlayerPage.open(page, live.link(flow2004, learner))
    for name in ("Table of contents", "Suspend and exit", "Exit", "Previous", "Continue"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(page.get_by_role("progressbar", name="0 of 5 complete")).to_be_visible()

    PlayerPage.open(page, live.link(prereq12, learner))
    expect(page.get_by_role("button", name="Exit", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Suspend and exit")).to_have_count(0)
