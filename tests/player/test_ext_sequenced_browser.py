"""Rustici's sequenced golf samples (the shared ``ext-packages``) walked by a learner.

The learner opens the launch link (not a designer's preview) and moves on with the player's
Continue only; inside each SCO they do what its own page asks (:class:`GolfSco`): page with
"Next ->" to the last page, which marks a lesson completed and passed, and answer the quiz
(every answer right, or none). The tests assert the order sequencing delivers the SCOs in,
what the TOC allows on the way, and what the course rolls up to in the results.

* ``golf2004-3rd-forcedseq``: each lesson is disabled until the one before is satisfied
  (a precondition on a shared objective), the quiz last; every SCO counts towards rollup.
* ``golf2004-3rd-remediation``: flow only; a quiz failed sends the learner back, after the
  last quiz, to the content it tests, and then to that quiz (what is mastered is skipped).

Skipped when the folder (``shared/ext-packages`` beside the checkout) is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.player.conftest import Live
from tests.player.pages import PlayerPage

pytestmark = pytest.mark.browser

EXT = Path(__file__).resolve().parents[2].parent / "shared" / "ext-packages"
if not EXT.is_dir():
    pytest.skip(f"{EXT} is not here (shared material beside the checkout)", allow_module_level=True)

LESSONS = ["playing_item", "etuqiette_item", "handicapping_item", "havingfun_item"]
FORCED_ROOT = "golf_sample_default_org"  # the organization: the TOC's top entry, choosable
QUIZZES = ["test_1", "test_2", "test_3", "test_4"]  # remediation: one quiz per lesson


def _rollup(results: dict[str, Any]) -> tuple[str, str]:
    return results["summary"]["completion_status"], results["summary"]["success_status"]


def _open(live: Live, page: Page, package: str, learner: str) -> tuple[str, PlayerPage]:
    """Import ``package`` (once) and open its launch link as ``learner``: the first lesson."""
    course = live.course(EXT / package)
    return course, PlayerPage.open(page, live.link(course, learner)).wait_for(LESSONS[0])


def _read(player: PlayerPage, lesson: str) -> None:
    """Read ``lesson`` to its last page: it reports completed and passed."""
    player.golf.read_to_the_end()
    player.expect_status(lesson, "passed")


def _leave_after(player: PlayerPage) -> None:
    """Continue from the last SCO: sequencing ends the session, the player leaves."""
    player.control("continue").click()
    expect(player.left_heading).to_be_visible()


# region Forced sequential order


@pytest.fixture
def forced(live: Live, page: Page, learner: str) -> tuple[str, PlayerPage]:
    return _open(live, page, "golf2004-3rd-forcedseq.zip", learner)


def test_forced_order_opens_each_lesson_once_the_one_before_is_passed(
    forced: tuple[str, PlayerPage],
) -> None:
    _, player = forced
    # Continue is offered (its parent flows: NB.2.1 accepts it, as ADL's RTE shows it, CTS
    # CM-07d), but the TOC offers nothing past the lesson: Etiquette waits for it to be passed.
    expect(player.control("continue")).to_be_enabled()
    assert player.choosable() == sorted([FORCED_ROOT, "playing_item"])

    for done, (lesson, after) in enumerate(zip(LESSONS, [*LESSONS[1:], "assessment_item"])):
        _read(player, lesson)
        expect(player.control("continue")).to_be_enabled()
        assert player.choosable() == sorted([FORCED_ROOT, *LESSONS[: done + 1], after])
        player.go("continue", after)

    assert player.state()["delivered"] == [*LESSONS, "assessment_item"]


def test_forced_order_course_with_its_quiz_passed_rolls_up_completed_and_passed(
    live: Live, forced: tuple[str, PlayerPage], learner: str
) -> None:
    course, player = forced
    for lesson, after in zip(LESSONS, [*LESSONS[1:], "assessment_item"]):
        _read(player, lesson)
        player.go("continue", after)

    player.golf.answer_quiz(correctly=True)
    _leave_after(player)

    assert _rollup(live.cli_results(course, learner)) == ("completed", "passed")
    quiz = live.results(course, learner)["assessment_item"]
    assert (quiz["success_status"], quiz["score"]["scaled"]) == ("passed", 1.0)


# endregion
# region Simple remediation


@pytest.fixture
def remediation(live: Live, page: Page, learner: str) -> tuple[str, PlayerPage]:
    return _open(live, page, "golf2004-3rd-remediation.zip", learner)


def _first_pass(player: PlayerPage, failed: set[str]) -> None:
    """Every lesson, then every quiz, failing those in ``failed``; ends on the last quiz.

    A lesson read to its end reports passed, but its satisfaction is its learning
    objective's, which it only reads and its quiz writes: the TOC shows it completed until
    the quiz is taken (a read map shows the shared status, even unknown: CTS CM-13)."""
    for lesson, after in zip(LESSONS, [*LESSONS[1:], QUIZZES[0]]):
        player.golf.read_to_the_end()
        player.expect_status(lesson, "completed")
        player.go("continue", after)
    for quiz, after in zip(QUIZZES, [*QUIZZES[1:], None]):
        player.golf.answer_quiz(correctly=quiz not in failed)
        if after is not None:
            player.go("continue", after)


def test_remediation_course_passed_first_time_ends_after_the_last_quiz(
    live: Live, remediation: tuple[str, PlayerPage], learner: str
) -> None:
    course, player = remediation
    _first_pass(player, failed=set())
    delivered = player.state()["delivered"]

    _leave_after(player)  # test_4's exitParent, then the wrapper's exitAll (satisfied)

    assert delivered == [*LESSONS, *QUIZZES]
    assert _rollup(live.cli_results(course, learner)) == ("completed", "passed")


def test_a_failed_quiz_sends_the_learner_back_to_the_content_it_tests(
    live: Live, remediation: tuple[str, PlayerPage], learner: str
) -> None:
    course, player = remediation
    _first_pass(player, failed={"test_2"})

    player.go("continue", "etuqiette_item")  # the wrapper's retry skips what is mastered
    player.golf.read_to_the_end()
    player.expect_status("etuqiette_item", "failed")  # it reads the objective test_2 failed
    player.go("continue", "test_2")

    assert player.state()["delivered"] == [*LESSONS, *QUIZZES, "etuqiette_item", "test_2"]
    results = live.results(course, learner)
    assert {item: results[item]["attempt_count"] for item in [*LESSONS, *QUIZZES]} == {
        "playing_item": 1, "etuqiette_item": 2, "handicapping_item": 1, "havingfun_item": 1,
        "test_1": 1, "test_2": 2, "test_3": 1, "test_4": 1,
    }


def test_passing_the_remediated_quiz_completes_the_course(
    live: Live, remediation: tuple[str, PlayerPage], learner: str
) -> None:
    course, player = remediation
    _first_pass(player, failed={"test_2"})
    player.go("continue", "etuqiette_item")
    player.golf.read_to_the_end()
    player.go("continue", "test_2")

    player.golf.answer_quiz(correctly=True)
    # test_4's own rules replace the collection's (no skip): it closes the loop once more
    player.go("continue", "test_4")
    player.golf.answer_quiz(correctly=True)
    _leave_after(player)

    assert _rollup(live.cli_results(course, learner)) == ("completed", "passed")


# endregion
