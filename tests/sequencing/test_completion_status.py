"""An activity's completion as sequencing rules see it (UP.2.1 ``completed`` and
``activityProgressKnown``; UP.4 End Attempt), with the 4th edition's completion status and
progress measure shared through ``adlseq:mapInfo``.

The cases follow ADL's conformance suite (CTS CM-06, CM-15, CO-01 to CO-06), which is where
the SN book's pseudo-code leaves room for reading.
"""

from __future__ import annotations

from scorm_player.packaging.model import CompletionThreshold, MapInfo
from scorm_player.sequencing.objectives import completion
from scorm_player.sequencing.utility import end_attempt, sequencing_rules_check
from tests.sequencing.builders import cond, item, objective, rule, sd, sequencer, tree

WRITES = MapInfo("g", write_completion_status=True, write_progress_measure=True)
READS = MapInfo("g")


def _shared(reader_seq=None, reader_threshold=None, writer_rules=None):
    """A writer (``a``) and a reader (``b``) of the shared objective ``g``."""
    writer = item("a", seq=sd(rules=writer_rules or [], objectives=[
        objective("pa", primary=True, maps=[WRITES])]))
    reader = item("b", seq=reader_seq or sd(objectives=[
        objective("pb", primary=True, maps=[READS])]), threshold=reader_threshold)
    return sequencer(tree(writer, reader, seq=sd(flow=True, choice=False)))


def _reader_definition(*rules):
    return sd(rules=list(rules), objectives=[objective("pb", primary=True, maps=[READS])])


def test_up_4_an_unknown_status_the_content_reported_is_not_completed_at_end_attempt():
    seq = sequencer(tree(item("a"), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.completion_status": "unknown",
                             "cmi.success_status": "unknown"})

    end_attempt(seq.ctx, seq.tree["a"])

    assert seq.state.activities["a"].attempt_progress_status is False
    assert seq.state.activities["a"].objectives[""].progress_status is False


def test_up_4_a_new_attempt_forgets_what_the_content_reported_before():
    seq = sequencer(tree(item("a"), item("b"), seq=sd(flow=True)))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.completion_status": "unknown"})
    seq.navigate("continue")
    seq.navigate("previous")  # a new attempt on a

    end_attempt(seq.ctx, seq.tree["a"])

    assert seq.state.activities["a"].attempt_progress_status is True


def test_a_completion_status_written_to_a_shared_objective_completes_its_reader():
    seq = _shared()
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "pa",
                             "cmi.objectives.0.completion_status": "completed"})

    assert completion(seq.ctx, seq.tree["b"]) == (True, True, True)


def test_not_attempted_read_from_a_shared_objective_is_a_known_incomplete():
    seq = _shared()
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "pa",
                             "cmi.objectives.0.completion_status": "not attempted"})

    assert completion(seq.ctx, seq.tree["b"]) == (True, False, True)


def test_end_attempt_writes_the_activitys_completion_through_its_primary_objective():
    seq = _shared()
    seq.navigate("start")

    seq.navigate("continue")  # a ends: End Attempt completes it

    assert seq.global_objectives["g"].completion_status == "completed"


def test_completed_by_measure_decides_on_a_shared_progress_measure():
    seq = _shared(reader_threshold=CompletionThreshold(True, 0.5))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "pa",
                             "cmi.objectives.0.completion_status": "incomplete",
                             "cmi.objectives.0.progress_measure": "0.8"})

    assert completion(seq.ctx, seq.tree["b"]) == (True, True, True)


def test_completed_by_measure_without_a_measure_is_unknown_whatever_the_status():
    seq = _shared(reader_threshold=CompletionThreshold(True, 0.75))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "pa",
                             "cmi.objectives.0.completion_status": "completed"})

    assert completion(seq.ctx, seq.tree["b"]) == (False, False, False)


def test_up_2_1_activity_progress_known_from_a_shared_objective_before_any_attempt():
    skip_known = rule("pre", "skip", cond("activityProgressKnown"))
    seq = _shared(reader_seq=_reader_definition(skip_known))
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "pa",
                             "cmi.objectives.0.completion_status": "incomplete"})

    assert sequencing_rules_check(seq.ctx, seq.tree["b"], "pre", {"skip"}) == "skip"


def test_up_2_1_an_untracked_activity_reads_no_shared_completion():
    untracked = sd(tracked=False, rules=[rule("pre", "skip", cond("activityProgressKnown"))],
                   objectives=[objective("pb", primary=True, maps=[READS])])
    seq = _shared(reader_seq=untracked)
    seq.navigate("start")
    seq.report_runtime("a", {"cmi.objectives.0.id": "pa",
                             "cmi.objectives.0.completion_status": "completed"})

    assert sequencing_rules_check(seq.ctx, seq.tree["b"], "pre", {"skip"}) is None
    assert completion(seq.ctx, seq.tree["b"])[2] is False
