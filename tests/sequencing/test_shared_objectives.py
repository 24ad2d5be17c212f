"""Shared (global) objectives: what a read map shows, and how long course-local ones last.

These are the readings the ADL Sample RTE makes and the CTS checks, where the SN book's
pseudo-code is silent: a read map always shows the shared value, and shared objectives
that are local to the course (``objectivesGlobalToSystem="false"``) last for one attempt
on the course.
"""

from __future__ import annotations

from scorm_player.packaging.model import MapInfo
from scorm_player.sequencing.objectives import primary
from scorm_player.sequencing.state import ObjectiveState
from tests.sequencing.builders import (
    PASSED,
    cond,
    item,
    objective,
    rule,
    sd,
    sequencer,
    tree,
)

READS = [MapInfo("shared")]  # the schema defaults: read status and measure, write nothing
WRITES = [MapInfo("shared", read_satisfied_status=False, read_normalized_measure=False,
                  write_satisfied_status=True)]
SATISFIED = ObjectiveState(progress_status=True, satisfied_status=True)


def _reader(name: str, **seq) -> object:
    return item(name, seq=sd(objectives=[objective("p", primary=True, maps=READS)], **seq))


def _writer(name: str) -> object:
    return item(name, seq=sd(objectives=[objective("p", primary=True, maps=WRITES)]))


def test_a_read_map_shows_the_shared_status_even_while_it_is_unknown():
    course = tree(_reader("a"), item("b"), seq=sd(flow=True))
    seq = sequencer(course)
    seq.navigate("start")

    seq.navigate("continue")  # End Attempt satisfies "a" locally (objectiveSetByContent)

    assert seq.ctx.s(course["a"]).objectives["p"].progress_status is True
    assert primary(seq.ctx, course["a"]).progress_status is False  # CTS CM-13


def test_a_known_shared_status_replaces_the_local_one():
    course = tree(_reader("a"), item("b"), seq=sd(flow=True))
    shared = {"shared": ObjectiveState(progress_status=True, satisfied_status=False)}
    seq = sequencer(course, shared)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)

    assert primary(seq.ctx, course["a"]).satisfied_status is False


def _retried_course(global_to_system: bool):
    """Leaving "c" exits to the root, which retries; "a" writes what "b" reads."""
    retry = rule("post", "retry", cond("always"))
    exit_parent = rule("post", "exitParent", cond("always"))
    skip_known = rule("pre", "skip", cond("objectiveStatusKnown", objective="p"))
    course = tree(
        _writer("a"),
        _reader("b", rules=[skip_known]),
        item("c", seq=sd(rules=[exit_parent])),
        seq=sd(flow=True, rules=[retry]),
        objectives_global_to_system=global_to_system,
    )
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.success_status": "failed"})
    return seq


def test_retrying_the_root_forgets_the_shared_objectives_local_to_the_course():
    seq = _retried_course(global_to_system=False)
    seq.navigate("continue")  # "b" is skipped: it reads the status "a" wrote
    assert seq.current_activity == "c"
    seq.report_runtime("c", {"cmi.success_status": "failed"})

    seq.navigate("continue")  # "c" exits to the root, which retries: a new course attempt

    assert seq.global_objectives["shared"].progress_status is False  # CTS RU-13d
    assert seq.current_activity == "a"


def test_retrying_the_root_keeps_the_learners_shared_objectives():
    seq = _retried_course(global_to_system=True)
    seq.navigate("continue")
    seq.report_runtime("c", {"cmi.success_status": "failed"})

    seq.navigate("continue")

    assert seq.global_objectives["shared"] == ObjectiveState(
        progress_status=True, satisfied_status=False
    )


def _ended_course(*, suspend_last: bool):
    course = tree(_writer("a"), item("b"), seq=sd(flow=True),
                  objectives_global_to_system=False)
    seq = sequencer(course)
    seq.navigate("start")
    seq.report_runtime("a", PASSED)
    seq.navigate("continue")
    if suspend_last:
        seq.report_runtime("b", {"cmi.exit": "suspend"})
    seq.navigate("exitAll")
    return seq


def test_a_new_session_after_the_course_attempt_ended_forgets_course_local_objectives():
    seq = _ended_course(suspend_last=False)
    assert seq.global_objectives["shared"] == SATISFIED  # kept until the next attempt

    seq.navigate("start")

    assert seq.global_objectives["shared"].progress_status is False  # CTS OB-03b


def test_a_course_attempt_left_suspended_keeps_its_course_local_objectives():
    seq = _ended_course(suspend_last=True)

    seq.navigate("start")  # the root resumes its attempt: the course attempt goes on

    assert seq.global_objectives["shared"] == SATISFIED  # CTS OB-03b, first relaunch
