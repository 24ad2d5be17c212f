"""Shared (global) objectives: what a read map shows.

This is the reading the ADL Sample RTE makes and the CTS checks, where the SN book's
pseudo-code is silent: a read map always shows the shared value.
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
