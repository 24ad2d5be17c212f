"""Launch modes: resume, a new window, review of a finished course, a designer's preview."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from scorm_player.services import NotRegistered
from tests.player.conftest import DESIGNER, PASSWORD, Live
from tests.player.pages import PlayerPage, ScoPage


def test_a_relaunch_resumes_the_suspended_12_sco_with_its_bookmark(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    link = live.link(prereq12, learner)
    player = PlayerPage.open(page, link)
    player.sco.click("Mark complete")
    player.go("continue", "lesson")
    player.sco.click("Next page")
    player.sco.click("Next page")
    player.sco.click("Suspend")  # cmi.core.exit=suspend, LMSFinish
    player.control("exit").click()
    page.wait_for_url("**/left**")

    player = PlayerPage.open(page, link)

    assert player.state()["current"] == "lesson"
    expect(player.sco.value("entry")).to_have_text("resume")
    expect(player.sco.value("location")).to_have_text("3")
    expect(player.title).to_have_text("Lesson")


def test_a_sco_in_a_new_window_finds_the_api_through_its_opener(
    live: Live, context: BrowserContext, page: Page, flow2004: str, learner: str
) -> None:
    with context.expect_page() as opened:
        player = PlayerPage.open(page, live.link(flow2004, learner, window="new"))
    window = opened.value
    sco = ScoPage(window)
    expect(page.locator("#sco-frame")).to_have_count(0)
    expect(page.get_by_role("heading", name="“Introduction” is open in another window")).to_be_visible()
    expect(sco.value("learner")).to_have_text("Liddell, Alice")

    sco.click("Mark complete")
    player.expect_status("intro", "passed")
    player.go("continue", "page1")

    expect(window).to_have_url(re.compile(r"/page1/index\.html$"))  # the same window
    expect(sco.value("status")).to_have_text("incomplete")
    sco.click("Request exit all")
    page.wait_for_url("**/left**")
    expect(page.get_by_role("heading", name="You have left the course")).to_be_visible()
    assert window.is_closed()


def test_review_of_a_finished_course(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    services = live.services
    for item in ("welcome", "lesson", "handout", "quiz"):
        token = services.launches.make_link_token(prereq12, learner, "Liddell, Alice")
        session = services.launches.open_launch(token, item=item)
        if item != "handout":
            services.tracking.apply_commit(
                session.token, session.attempt_id, 1,
                [["cmi.core.score.raw", "95"], ["cmi.core.lesson_status", "passed"]], True,
            )

    player = PlayerPage.open(page, live.link(prereq12, learner, mode="review", item="welcome"))

    badge = page.locator(".badge")
    expect(badge).to_have_text("Review: nothing is recorded")  # "Review" on screen
    expect(player.sco.value("status")).to_have_text("passed")
    player.go("continue", "lesson")
    expect(badge).to_have_text("Review: nothing is recorded")
    assert "mode=review" in page.url


def test_a_designer_previews_the_course_in_browse_mode(
    live: Live, page: Page, prereq12: str
) -> None:
    page.goto(f"{live.app_url}/courses/{prereq12}")
    page.get_by_label("User name").fill(DESIGNER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Preview the course").click()

    player = PlayerPage(page).wait_for("welcome")
    assert page.url.startswith(live.url) and "mode=browse" in page.url
    expect(page.locator(".badge")).to_have_text("Preview: nothing is recorded for learners")
    assert all(item["enabled"] for item in player.state()["items"].values())
    player.choose("quiz")  # no prerequisites in a preview
    expect(player.sco.value("status")).to_have_text("incomplete")
    with pytest.raises(NotRegistered):  # a preview is no learner's registration
        live.services.tracking.results(prereq12, f"designer-preview:{DESIGNER}")
