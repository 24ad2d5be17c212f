"""Playing courses in the player: the TOC, Previous / Continue, prerequisites, SCO-driven
navigation requests, leaving and resuming."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.player.conftest import Live
from tests.player.pages import PlayerPage


def test_a_12_course_with_prerequisites_is_played_through(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(prereq12, learner))

    assert player.state()["current"] == "welcome"
    for locked in ("lesson", "handout", "quiz"):
        expect(player.toc_item(locked)).to_have_attribute("aria-disabled", "true")
    expect(player.control("continue")).to_be_disabled()
    expect(player.control("previous")).to_be_disabled()
    expect(player.toc_item("notes")).to_have_count(0)  # isvisible="false"
    assert player.state()["items"]["notes"] == {
        "status": "not attempted", "enabled": True, "hidden": True,
    }

    player.sco.click("Mark complete")  # LMSSetValue + LMSCommit: the TOC follows the ack
    player.expect_status("welcome", "completed")
    expect(player.toc_item("lesson")).not_to_have_attribute("aria-disabled", "true")
    expect(player.control("continue")).to_be_enabled()
    valid = "([r, a]) => window.scormPlayer.requestValid(r, a)"  # for adl.nav.request_valid
    assert page.evaluate(valid, ["continue", None]) == "true"
    assert page.evaluate(valid, ["choice", "{target=lesson}"]) == "true"
    assert page.evaluate(valid, ["choice", "{target=quiz}"]) == "false"

    player.go("continue", "lesson")
    player.sco.click("Mark complete")
    player.sco.click("Finish")
    player.expect_status("lesson", "completed")
    expect(player.toc_item("quiz")).to_have_attribute("aria-disabled", "true")  # handout

    player.choose("handout")  # an asset: completed by being launched
    player.expect_status("handout", "completed")
    expect(player.toc_item("quiz")).not_to_have_attribute("aria-disabled", "true")

    player.go("continue", "quiz")
    player.sco.click("Score 90")
    player.sco.click("Finish")
    player.expect_status("quiz", "passed")
    expect(page.locator("#progress-text")).to_have_text("4 of 4 complete")

    assert player.state()["delivered"] == ["welcome", "lesson", "handout", "quiz"]
    results = live.results(prereq12, learner)
    assert results["quiz"]["success_status"] == "passed"
    assert results["welcome"]["completion_status"] == "completed"


def test_choosing_the_course_in_the_contents_starts_its_flow_from_the_top(
    live: Live, page: Page, flow2004: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(flow2004, learner)).choose("page2")
    course = player.toc_item("org_player2004")
    expect(course).to_have_attribute("data-enabled", "true")

    course.locator(".toc__row").first.click()  # SB.2.9: a cluster's choice flows into it

    player.wait_for("intro")
    assert player.state()["delivered"] == ["intro", "page2", "intro"]


def test_a_locked_item_cannot_be_chosen(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(prereq12, learner))

    player.toc_item("quiz").click(force=True)  # aria-disabled: Playwright would wait

    expect(page.get_by_role("alert")).to_contain_text("“Quiz” is not available yet")
    assert player.state()["current"] == "welcome"


def test_a_sco_left_without_lmsfinish_is_finished_before_the_next_one(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(prereq12, learner))
    player.sco.click("Next page")
    player.sco.click("Mark complete")

    player.go("continue", "lesson")  # the welcome SCO never called LMSFinish

    welcome = live.results(prereq12, learner)["welcome"]
    assert welcome["attempt_status"] == "finished"
    assert welcome["completion_status"] == "completed" and welcome["location"] == "2"


def test_a_2004_course_through_the_toc_and_previous_continue(
    live: Live, page: Page, flow2004: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(flow2004, learner))
    assert player.state()["current"] == "intro"
    expect(player.control("suspend-all")).to_be_visible()
    expect(player.control("exit-all")).to_be_visible()

    player.go("continue", "page1")
    player.go("continue", "page2")
    player.go("previous", "page1")
    player.choose("checkpoint")

    expect(player.control("previous")).to_be_hidden()  # hideLMSUI previous, continue
    expect(player.control("continue")).to_be_hidden()

    player.choose("summary")  # an asset
    player.expect_status("summary", "completed")
    expect(player.control("continue")).to_be_enabled()  # the last item: Continue ends the course
    assert player.state()["delivered"] == [
        "intro", "page1", "page2", "page1", "checkpoint", "summary",
    ]


def test_sco_navigation_requests_are_carried_out(
    live: Live, page: Page, flow2004: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(flow2004, learner))

    player.sco.click("Request continue")
    player.wait_for("page1")
    player.sco.click("Request continue")
    player.wait_for("page2")
    player.sco.click("Request previous")
    player.wait_for("page1")
    player.sco.click("Request introduction")  # {target=intro}choice
    player.wait_for("intro")

    player.sco.click("Request exit")  # the SCO ends, nothing else is delivered
    notice = page.locator("#stage-notice")
    expect(notice.get_by_role("heading", name="“Introduction” has ended")).to_be_visible()

    notice.get_by_role("button", name="Continue").click()
    player.wait_for("page1")
    player.sco.click("Request exit all")
    page.wait_for_url("**/left**")
    expect(page.get_by_role("heading", name="You have left the course")).to_be_visible()
    assert live.results(flow2004, learner)["page1"]["attempt_status"] == "finished"


def test_suspend_and_exit_then_resume_at_the_same_sco(
    live: Live, page: Page, flow2004: str, learner: str
) -> None:
    link = live.link(flow2004, learner)
    player = PlayerPage.open(page, link)
    player.go("continue", "page1")
    player.sco.click("Next page")

    player.control("suspend-all").click()
    page.wait_for_url("**/left**")
    page.get_by_role("link", name="Return to the course").click()

    player.wait_for("page1")
    expect(player.sco.value("entry")).to_have_text("resume")
    expect(player.sco.value("location")).to_have_text("2")
    assert player.state()["delivered"] == ["page1"]


def test_exit_goes_to_an_allowed_return_address(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    back = f"{live.app_url}/courses"
    player = PlayerPage.open(page, live.link(prereq12, learner, return_to=back))

    player.control("exit").click()

    page.wait_for_url(f"{live.app_url}/**")  # /courses, which asks a designer to sign in


def test_a_return_address_on_another_host_is_ignored(
    live: Live, page: Page, prereq12: str, learner: str
) -> None:
    player = PlayerPage.open(page, live.link(prereq12, learner, return_to="https://evil.example/"))

    player.control("exit").click()

    page.wait_for_url("**/left**")
    expect(page.get_by_role("heading", name="You have left the course")).to_be_visible()
