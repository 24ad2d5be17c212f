"""A rule-heavy SCORM 2004 course played through the player as a learner would.

``player-scorm2004-rules`` (its manifest draws the tree): a pre-test with one attempt that
writes the global objective ``rules.mastery``; a forced-order module (choice false, flow
true) that reads it and is skipped when it is satisfied, and retried from its first lesson
when its post-test is failed (exitParent, then retry); a summary. The learner uses only the
launch link, the player's controls and the SCO's own buttons; after each step the test reads
what the player delivered (``window.scormPlayer.state()``) and what the TOC allows, and at
the end what the server reports (the results service and ``scorm-player results``).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.player.conftest import Live
from tests.player.pages import PlayerPage

pytestmark = pytest.mark.browser

RULES_2004 = "player-scorm2004-rules"
#: What the TOC lets a learner choose anywhere in the course: the module's items never
#: (choice false), the pre-test never again (its one attempt began at the launch).
CHOOSABLE = ["module", "summary"]


@pytest.fixture
def rules2004(live: Live) -> str:
    return live.course(RULES_2004)


@pytest.fixture
def link(live: Live, rules2004: str, learner: str) -> str:
    """This test's learner's launch link (the same link resumes the registration)."""
    return live.link(rules2004, learner)


@pytest.fixture
def player(page: Page, link: str) -> PlayerPage:
    """The player as the launch link opens it: on the pre-test."""
    return PlayerPage.open(page, link).wait_for("pretest")


def _fail_the_pretest(player: PlayerPage) -> None:
    """Fail the pre-test and Continue: the learner is in the module's first lesson."""
    player.sco.click("Fail")
    player.expect_status("pretest", "failed")
    player.go("continue", "lesson1")


def _lessons_then_posttest(player: PlayerPage, answer: str) -> None:
    """From Lesson 1: complete both lessons with Continue, then ``answer`` the post-test
    ("Mark complete" passes it, "Fail" fails it)."""
    for lesson, after in (("lesson1", "lesson2"), ("lesson2", "posttest")):
        player.sco.click("Mark complete")
        player.expect_status(lesson, "passed")
        player.go("continue", after)
    player.sco.click(answer)
    player.expect_status("posttest", "passed" if answer == "Mark complete" else "failed")


def _pass_after_remediation(player: PlayerPage) -> None:
    """Fail the pre-test, then the post-test; go round the module again and pass it."""
    _fail_the_pretest(player)
    _lessons_then_posttest(player, "Fail")
    player.go("continue", "lesson1")
    _lessons_then_posttest(player, "Mark complete")


def _finish_summary(player: PlayerPage) -> None:
    player.sco.click("Mark complete")
    player.expect_status("summary", "passed")


def _rollup(results: dict[str, Any]) -> tuple[str, str]:
    return results["summary"]["completion_status"], results["summary"]["success_status"]


def test_the_launch_opens_the_pretest_and_the_module_cannot_be_chosen_into(
    player: PlayerPage,
) -> None:
    assert player.state()["delivered"] == ["pretest"]
    assert player.choosable() == CHOOSABLE
    expect(player.control("previous")).to_be_disabled()
    expect(player.control("continue")).to_be_enabled()
    for item in ("lesson1", "lesson2", "posttest"):
        expect(player.toc_item(item)).to_have_attribute("aria-disabled", "true")


def test_passing_the_pretest_skips_the_module(
    live: Live, player: PlayerPage, rules2004: str, learner: str
) -> None:
    player.sco.click("Mark complete")
    player.expect_status("pretest", "passed")
    player.expect_status("module", "passed")  # read from rules.mastery, which the pre-test wrote

    player.go("continue", "summary")

    assert player.state()["delivered"] == ["pretest", "summary"]
    assert {live.results(rules2004, learner)[item]["attempt_count"]
            for item in ("lesson1", "lesson2", "posttest")} == {0}


def test_failing_the_pretest_enters_the_module_in_forced_order(player: PlayerPage) -> None:
    _fail_the_pretest(player)

    assert player.choosable() == CHOOSABLE
    expect(player.control("previous")).to_be_disabled()  # the pre-test's attempt is used up
    player.sco.click("Mark complete")
    player.go("continue", "lesson2")
    expect(player.control("previous")).to_be_enabled()
    assert player.choosable() == CHOOSABLE
    player.sco.click("Mark complete")
    player.go("continue", "posttest")
    assert player.state()["delivered"] == ["pretest", "lesson1", "lesson2", "posttest"]


def test_failing_the_posttest_sends_the_learner_back_to_the_first_lesson(
    live: Live, player: PlayerPage, rules2004: str, learner: str
) -> None:
    _fail_the_pretest(player)
    _lessons_then_posttest(player, "Fail")

    player.go("continue", "lesson1")  # exitParent, then the module's retry

    assert player.state()["delivered"][-2:] == ["posttest", "lesson1"]
    player.expect_status("module", "failed")
    assert player.choosable() == CHOOSABLE
    expect(player.control("previous")).to_be_disabled()
    results = live.results(rules2004, learner)
    assert (results["lesson1"]["attempt_count"], results["posttest"]["success_status"]) == (
        2, "failed")


def test_passing_the_posttest_after_remediation_leads_to_the_summary(
    live: Live, player: PlayerPage, rules2004: str, learner: str
) -> None:
    _pass_after_remediation(player)

    player.expect_status("module", "passed")
    player.go("continue", "summary")
    _finish_summary(player)

    assert player.state()["delivered"] == [
        "pretest", *["lesson1", "lesson2", "posttest"] * 2, "summary"]
    posttest = live.results(rules2004, learner)["posttest"]
    assert (posttest["attempt_count"], posttest["success_status"]) == (2, "passed")


def test_a_course_passed_after_remediation_is_reported_completed_and_passed(
    live: Live, player: PlayerPage, rules2004: str, learner: str
) -> None:
    _pass_after_remediation(player)
    player.go("continue", "summary")
    _finish_summary(player)

    assert _rollup(live.cli_results(rules2004, learner)) == ("completed", "passed")
    assert _rollup(live.services.tracking.results(rules2004, learner).to_dict()) == (
        "completed", "passed")


def test_a_course_whose_module_was_skipped_is_reported_completed_and_passed(
    live: Live, player: PlayerPage, rules2004: str, learner: str
) -> None:
    player.sco.click("Mark complete")
    player.expect_status("pretest", "passed")
    player.go("continue", "summary")
    _finish_summary(player)

    assert _rollup(live.cli_results(rules2004, learner)) == ("completed", "passed")


def test_suspend_all_in_the_module_resumes_at_the_same_lesson(
    page: Page, player: PlayerPage, link: str
) -> None:
    _fail_the_pretest(player)
    player.sco.click("Mark complete")
    player.go("continue", "lesson2")
    player.sco.click("Next page")

    player.control("suspend-all").click()
    expect(player.left_heading).to_be_visible()
    resumed = PlayerPage.open(page, link).wait_for("lesson2")

    expect(resumed.sco.value("entry")).to_have_text("resume")
    expect(resumed.sco.value("location")).to_have_text("2")
    assert resumed.choosable() == CHOOSABLE
    expect(resumed.control("previous")).to_be_enabled()
    resumed.sco.click("Mark complete")
    resumed.go("continue", "posttest")
