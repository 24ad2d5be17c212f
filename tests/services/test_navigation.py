"""Navigation: the TOC, flow and choice, 1.2 prerequisites, hideLMSUI, adl.nav.request,
where a relaunch resumes, and review and browse launches."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from scorm_player.services import CommitRefused, InvalidInput, NotRegistered, Services, open_services
from scorm_player.services.navigation import (
    Decision,
    DefaultPolicy,
    NavigationRefused,
    RegistrationView,
    parse_request,
)
from tests.runtime_support import Session, launch

PREREQ_12 = "player-scorm12-prereq"
FLOW_2004 = "player-scorm2004-flow"

COMPLETE_12 = ("cmi.core.lesson_status", "completed")
COMPLETE_2004 = (("cmi.completion_status", "completed"), ("cmi.success_status", "passed"))


def statuses(session: Session) -> dict[str, tuple[str, bool]]:
    """{item: (status, enabled)} of the session's TOC, as the player sees it now."""
    state = session.services.navigation.state_for_token(session.context.token)
    return {e.id: (e.status, e.enabled) for e in state.entries}


def said(decision: Decision) -> dict[str, Any]:
    """What the player is told (a sequenced decision also carries state to store)."""
    return {k: v for k, v in decision.to_dict().items() if k != "exception"}


def go(services: Services, course_id: str, nav: str, item: str | None = None, **options: Any) -> Session:
    return launch(services, course_id, nav=nav, item=item, **options)


# region the table of contents


def test_the_toc_is_the_item_tree_in_document_order(services: Services, course: Any) -> None:
    player = launch(services, course(PREREQ_12)).context.player
    assert player is not None

    assert [(e.id, e.depth, e.parent, e.launchable, e.visible) for e in player.entries] == [
        ("welcome", 0, None, True, True),
        ("module", 0, None, False, True),
        ("lesson", 1, "module", True, True),
        ("handout", 1, "module", True, True),
        ("quiz", 0, None, True, True),
        ("notes", 0, None, True, False),
    ]
    tree = player.tree()
    assert [node.entry.id for node in tree] == ["welcome", "module", "quiz"]  # notes hidden
    assert [node.entry.id for node in tree[1].children] == ["lesson", "handout"]


def test_a_2004_toc_has_the_organization_as_its_top_entry(services: Services, course: Any) -> None:
    player = launch(services, course(FLOW_2004)).context.player
    assert player is not None

    top = player.entries[0]
    assert (top.id, top.depth, top.parent, top.launchable) == ("org_player2004", 0, None, False)
    assert [(e.id, e.depth, e.parent) for e in player.entries[1:3]] == [
        ("intro", 1, "org_player2004"), ("chapter", 1, "org_player2004"),
    ]
    assert [node.entry.id for node in player.tree()] == ["org_player2004"]
    assert (player.completed, player.total) == (0, 5)  # the organization is not a part


def test_a_choice_of_the_organization_flows_from_its_first_activity(
    services: Services, course: Any
) -> None:
    session = go(services, course(FLOW_2004), "choice", "page2")
    assert statuses(session)["org_player2004"][1]  # choosable

    decision = services.navigation.decide(_view(services, session), "choice", "org_player2004")

    assert (decision.kind, decision.item) == ("deliver", "intro")


def test_progress_counts_the_visible_launchable_items(services: Services, course: Any) -> None:
    session = launch(services, course(PREREQ_12))
    session.finish(COMPLETE_12)

    player = launch(services, session.context.course_id).context.player
    assert player is not None
    assert (player.completed, player.total, player.course_done) == (1, 4, False)


# endregion
# region SCORM 1.2 prerequisites


def test_prerequisites_decide_which_items_are_enabled(services: Services, course: Any) -> None:
    session = launch(services, course(PREREQ_12))

    assert statuses(session) == {
        "welcome": ("incomplete", True),
        "module": ("not attempted", False),
        "lesson": ("not attempted", False),
        "handout": ("not attempted", False),
        "quiz": ("not attempted", False),
        "notes": ("not attempted", True),
    }

    session.commit(COMPLETE_12)

    now = statuses(session)
    assert now["welcome"] == ("completed", True)
    assert now["lesson"] == ("not attempted", True) and now["handout"][1] is True
    assert now["quiz"] == ("not attempted", False)  # lesson & handout


def test_an_asset_is_completed_when_launched(services: Services, course: Any) -> None:
    course_id = course(PREREQ_12)
    launch(services, course_id).finish(COMPLETE_12)
    lesson = go(services, course_id, "choice", "lesson")
    lesson.finish(COMPLETE_12)

    handout = go(services, course_id, "choice", "handout")

    assert handout.context.item_identifier == "handout" and handout.context.scorm_type == "asset"
    assert statuses(handout)["handout"] == ("completed", True)
    assert statuses(handout)["quiz"] == ("not attempted", True)
    assert statuses(handout)["module"] == ("completed", True)


def test_going_back_to_a_finished_part_does_not_undo_it(
    services: Services, course: Any
) -> None:
    course_id = course(PREREQ_12)
    launch(services, course_id).finish(COMPLETE_12)
    go(services, course_id, "continue").finish(("cmi.core.lesson_status", "incomplete"))

    again = go(services, course_id, "choice", "welcome")  # 1.2: the same data, entered again

    assert again.context.attempt_number == 1 and again.state["cmi.core.entry"] == ""
    assert statuses(again)["welcome"] == ("completed", True)
    assert statuses(again)["lesson"] == ("incomplete", True)


def test_a_choice_of_a_locked_item_is_refused(services: Services, course: Any) -> None:
    course_id = course(PREREQ_12)
    launch(services, course_id)

    with pytest.raises(NavigationRefused, match="“Quiz” is not available yet"):
        go(services, course_id, "choice", "quiz")


def test_a_direct_link_to_an_item_opens_it_whatever_its_prerequisites(
    services: Services, course: Any
) -> None:
    """``?item=`` alone is the host's deep link; the player's own choices carry ``nav``."""
    session = launch(services, course(PREREQ_12), item="quiz")

    assert session.context.item_identifier == "quiz"


@pytest.mark.parametrize(
    ("script", "met"),
    [("welcome", False), ("~welcome", True), ("welcome = not attempted", True),
     ("{welcome, notes}", False), ("1*{welcome, notes}", True), ("((", True)],
)
def test_prerequisite_scripts_see_unknown_as_not_attempted(
    services: Services, course: Any, script: str, met: bool
) -> None:
    """``notes`` was launched (an asset: completed); ``welcome`` never was; a script that
    does not parse does not lock anything."""
    session = launch(services, course(PREREQ_12), item="notes")
    view = _view(services, session)
    quiz = view.model.item("quiz")
    assert quiz is not None

    assert DefaultPolicy().enabled(view, replace(quiz, prerequisites=script)) is met


# endregion
# region flow and choice


def test_continue_and_previous_follow_document_order(
    services: Services, course: Any
) -> None:
    course_id = course(FLOW_2004)
    first = launch(services, course_id)
    assert first.context.item_identifier == "intro"
    assert first.context.player.can_previous is False and first.context.player.can_continue

    order = [first.context.item_identifier]
    for _ in range(4):
        order.append(go(services, course_id, "continue").context.item_identifier)
    assert order == ["intro", "page1", "page2", "checkpoint", "summary"]

    assert go(services, course_id, "previous").context.item_identifier == "checkpoint"


def test_continue_stops_at_a_locked_item(
    services: Services, course: Any
) -> None:
    course_id = course(PREREQ_12)
    session = launch(services, course_id)  # welcome, not completed

    view = _view(services, session)
    assert services.navigation.decide(view, "continue") == Decision.refused(
        "“Lesson” is not available yet: complete the parts it requires first."
    )
    session.commit(COMPLETE_12)
    assert services.navigation.decide(_view(services, session), "continue") == Decision.deliver(
        "lesson"
    )


def test_continue_past_the_last_item_ends_the_session(services: Services, course: Any) -> None:
    course_id = course(FLOW_2004)
    session = launch(services, course_id, item="summary")

    assert services.navigation.decide(_view(services, session), "continue").kind == "exit"
    assert session.context.player.can_continue is True  # a valid request: it ends the course
    with pytest.raises(NavigationRefused):
        go(services, course_id, "continue")


def test_a_choice_of_a_cluster_opens_its_first_item(services: Services, course: Any) -> None:
    course_id = course(FLOW_2004)
    launch(services, course_id)

    assert go(services, course_id, "choice", "chapter").context.item_identifier == "page1"


def test_hide_lms_ui_hides_the_matching_controls(services: Services, course: Any) -> None:
    course_id = course(FLOW_2004)

    checkpoint = launch(services, course_id, item="checkpoint").context.player
    intro = launch(services, course_id, item="intro").context.player

    assert checkpoint.hidden_controls == ("previous", "continue")
    assert intro.hidden_controls == ()


# endregion
# region adl.nav.request


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("continue", ("continue", None)), ("{target=intro}choice", ("choice", "intro")),
     ("{target=x}jump", ("jump", "x")), ("_none_", (None, None)), ("", (None, None))],
)
def test_nav_request_values_are_parsed(value: str, parsed: tuple) -> None:
    assert parse_request(value) == parsed


@pytest.mark.parametrize(
    ("value", "decision"),
    [
        ("continue", Decision.deliver("page2")),
        ("previous", Decision.deliver("intro")),
        ("{target=checkpoint}choice", Decision.deliver("checkpoint")),
        ("{target=summary}jump", Decision.deliver("summary")),
        ("exit", Decision("stay")),
        ("abandon", Decision("stay")),
        ("exitAll", Decision("exit")),
        ("abandonAll", Decision("exit")),
        ("suspendAll", Decision("exit", suspend=True)),
        ("{target=nowhere}choice", Decision.refused("The course has no such part.")),
        ("sideways", Decision.refused("Unknown navigation request 'sideways'.")),
    ],
)
def test_what_each_sco_request_leads_to(
    services: Services, course: Any, value: str, decision: Decision
) -> None:
    session = launch(services, course(FLOW_2004), item="page1")

    assert said(services.navigation.decide(_view(services, session), value)) == said(decision)


def test_the_request_a_sco_stored_at_terminate_is_carried_out(
    services: Services, course: Any
) -> None:
    course_id = course(FLOW_2004)
    page2 = launch(services, course_id, item="page2")
    result = page2.finish(*COMPLETE_2004, ("adl.nav.request", "{target=intro}choice"))
    assert result.status["nav_request"] == "{target=intro}choice"

    decision = services.navigation.check(page2.context.token, result.status["nav_request"])
    assert said(decision) == said(Decision.deliver("intro"))
    assert go(services, course_id, "choice", "intro").context.item_identifier == "intro"


def test_a_superseded_session_gets_no_toc(services: Services, course: Any) -> None:
    course_id = course(FLOW_2004)
    old = launch(services, course_id)
    launch(services, course_id)

    with pytest.raises(CommitRefused) as refused:
        services.navigation.state_for_token(old.context.token)
    assert refused.value.reason == "superseded"


# endregion
# region resume


def test_a_relaunch_resumes_the_suspended_sco_with_its_bookmark(
    services: Services, course: Any
) -> None:
    course_id = course(FLOW_2004)
    launch(services, course_id).finish(*COMPLETE_2004)
    page1 = go(services, course_id, "continue")
    page1.finish(("cmi.location", "3"), ("adl.nav.request", "suspendAll"))

    resumed = launch(services, course_id)

    assert resumed.context.item_identifier == "page1" and resumed.context.resumed
    assert resumed.state["cmi.entry"] == "resume" and resumed.state["cmi.location"] == "3"


def test_a_relaunch_after_a_finished_sco_opens_the_next_part_not_done(
    services: Services, course: Any
) -> None:
    course_id = course(PREREQ_12)
    launch(services, course_id).finish(COMPLETE_12)

    assert launch(services, course_id).context.item_identifier == "lesson"


def test_a_relaunch_goes_back_to_a_sco_left_without_terminate(
    services: Services, course: Any
) -> None:
    course_id = course(FLOW_2004)
    launch(services, course_id).finish(*COMPLETE_2004)
    go(services, course_id, "continue").commit(("cmi.location", "2"))

    resumed = launch(services, course_id)

    assert resumed.context.item_identifier == "page1" and resumed.state["cmi.location"] == "2"


# endregion
# region review and browse


def test_review_of_a_finished_course_navigates_freely(services: Services, course: Any) -> None:
    course_id = course(PREREQ_12)
    for item in ("welcome", "lesson", "quiz"):
        launch(services, course_id, item=item).finish(
            ("cmi.core.score.raw", "95"), COMPLETE_12
        )

    review = launch(services, course_id, item="welcome", mode="review")
    after = go(services, course_id, "continue", mode="review")

    assert review.context.mode == "review" and review.context.player.mode == "review"
    assert after.context.item_identifier == "lesson" and after.context.mode == "review"


def test_browse_is_a_designers_preview_kept_out_of_learner_results(
    services: Services, course: Any
) -> None:
    course_id = course(PREREQ_12)
    token = services.launches.make_preview_token(course_id, "designer")
    preview = services.launches.open_launch(token, nav="choice", item="quiz")

    assert preview.mode == "browse" and preview.preview
    assert preview.state["cmi.core.lesson_mode"] == "browse"
    assert preview.state["cmi.core.credit"] == "no-credit"
    assert all(entry.enabled for entry in preview.player.entries if entry.launchable)
    with pytest.raises(NotRegistered):
        services.tracking.results(course_id, preview.learner.external_id)


def test_browse_needs_a_preview_link(services: Services, course: Any) -> None:
    with pytest.raises(InvalidInput, match="designers' previews"):
        launch(services, course(PREREQ_12), mode="browse")


def test_preview_learner_ids_are_reserved(services: Services, course: Any) -> None:
    with pytest.raises(InvalidInput, match="reserved"):
        services.launches.make_link_token(course(PREREQ_12), "designer-preview:eve", "Eve")


# endregion


def _view(services: Services, session: Session) -> RegistrationView:
    return services.navigation._view(session.context.token)


# region sequencing (SCORM 2004)


def test_a_sco_that_reported_nothing_is_completed_when_the_learner_moves_on(
    services: Services, course: Any
) -> None:
    course_id = course(FLOW_2004)
    launch(services, course_id, item="page1").finish()  # the LMS fills in "unknown" statuses

    page2 = go(services, course_id, "continue")

    assert statuses(page2)["page1"][0] in ("completed", "passed")  # End Attempt (UP.4)


def test_a_sco_that_reported_unknown_itself_stays_incomplete(
    services: Services, course: Any
) -> None:
    course_id = course(FLOW_2004)
    launch(services, course_id, item="page1").finish(
        ("cmi.completion_status", "unknown"), ("cmi.success_status", "unknown")
    )

    page2 = go(services, course_id, "continue")

    assert statuses(page2)["page1"][0] == "incomplete"


def test_a_sco_that_abandons_leaves_the_status_it_reported_at_that_end_out_of_sequencing(
    services: Services, course: Any
) -> None:
    session = launch(services, course(FLOW_2004), item="page1")
    session.finish(*COMPLETE_2004, ("adl.nav.request", "abandon"))  # TB.2.3: no End Attempt

    assert statuses(session)["page1"][0] == "incomplete"


def test_the_sequencing_state_survives_a_restart(services: Services, course: Any) -> None:
    course_id = course(FLOW_2004)
    launch(services, course_id, item="page1").finish(*COMPLETE_2004)
    restarted = open_services(services.settings)  # a new process: nothing cached

    page2 = launch(restarted, course_id, nav="continue")

    assert page2.context.item_identifier == "page2"
    assert statuses(page2)["page1"] == ("passed", True)


# endregion
