"""CMIRuntime beyond the vectors: the state table, diagnostics, loading, change tracking,
apply_changes and robustness against garbage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorm_player.datamodel import MODEL_12, MODEL_2004, CMIRuntime, DataMap, DataModelError
from scorm_player.datamodel.errors import ERRORS

CALLS = {
    "initialize": lambda r: r.initialize(""),
    "terminate": lambda r: r.terminate(""),
    "commit": lambda r: r.commit(""),
    "get_value": lambda r: r.get_value("cmi.suspend_data"),
    "set_value": lambda r: r.set_value("cmi.suspend_data", "x"),
}

# rte-api.md section 3: (version, state, call) -> (return, code)
STATE_TABLE = {
    ("2004", "not_initialized"): {"initialize": ("true", 0), "terminate": ("false", 112),
                                  "commit": ("false", 142), "get_value": ("", 122),
                                  "set_value": ("false", 132)},
    ("2004", "running"): {"initialize": ("false", 103), "terminate": ("true", 0),
                          "commit": ("true", 0), "get_value": ("", 403),
                          "set_value": ("true", 0)},
    ("2004", "terminated"): {"initialize": ("false", 104), "terminate": ("false", 113),
                             "commit": ("false", 143), "get_value": ("", 123),
                             "set_value": ("false", 133)},
    ("1.2", "not_initialized"): {"initialize": ("true", 0), "terminate": ("false", 301),
                                 "commit": ("false", 301), "get_value": ("", 301),
                                 "set_value": ("false", 301)},
    ("1.2", "running"): {"initialize": ("false", 101), "terminate": ("true", 0),
                         "commit": ("true", 0), "get_value": ("", 0), "set_value": ("true", 0)},
    ("1.2", "terminated"): {"initialize": ("false", 101), "terminate": ("false", 101),
                            "commit": ("false", 101), "get_value": ("", 101),
                            "set_value": ("false", 101)},
}


def in_state(version: str, state: str) -> CMIRuntime:
    runtime = CMIRuntime(version)  # type: ignore[arg-type]
    if state in ("running", "terminated"):
        runtime.initialize()
    if state == "terminated":
        runtime.terminate()
    return runtime


@pytest.mark.parametrize(
    ("version", "state", "call"),
    [(v, s, c) for (v, s), calls in STATE_TABLE.items() for c in calls],
)
def test_state_table(version: str, state: str, call: str) -> None:
    runtime = in_state(version, state)
    result = CALLS[call](runtime)
    assert (result, int(runtime.get_last_error())) == STATE_TABLE[(version, state)][call]


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("call", ["initialize", "terminate", "commit"])
def test_failed_call_keeps_the_state(version: str, call: str) -> None:
    runtime = in_state(version, "running")
    assert getattr(runtime, call)("x") == "false"
    assert runtime.phase == "running"


def test_failed_commit_hook_gives_391_and_failed_terminate_gives_111() -> None:
    runtime = CMIRuntime("2004", on_commit=lambda changes: False)
    runtime.initialize()
    assert (runtime.commit(), runtime.get_last_error()) == ("false", "391")
    assert (runtime.terminate(), runtime.get_last_error()) == ("false", "111")
    assert runtime.phase == "running"


def test_commit_hook_receives_the_pending_changes() -> None:
    seen: list[dict[str, str]] = []
    runtime = CMIRuntime("2004", on_commit=lambda changes: seen.append(changes) is None)
    runtime.initialize()
    runtime.set_value("cmi.location", "p2")
    runtime.commit()
    assert seen == [{"cmi.location": "p2"}]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_error_methods_work_in_every_state_and_keep_the_code(version: str) -> None:
    runtime = CMIRuntime(version)  # type: ignore[arg-type]
    runtime.get_value("cmi.x")
    code = runtime.get_last_error()
    for _ in range(2):
        assert runtime.get_error_string(code) != ""
        assert 0 < len(runtime.get_diagnostic("")) <= 255
        assert runtime.get_last_error() == code


def test_diagnostic_explains_the_last_error_and_any_code() -> None:
    runtime = in_state("2004", "running")
    runtime.set_value("cmi.score.scaled", "2")
    assert "outside" in runtime.get_diagnostic("")
    assert runtime.get_diagnostic("404") == "Data Model Element Is Read Only"
    assert runtime.get_diagnostic("999") == ""


def test_getvalue_on_1_2_element_never_set_is_empty_without_error() -> None:
    runtime = in_state("1.2", "running")
    runtime.set_value("cmi.objectives.0.id", "o1")
    assert (runtime.get_value("cmi.objectives.0.score.raw"), runtime.get_last_error()) == ("", "0")
    assert runtime.get_value("cmi.student_data.mastery_score") == ""


@pytest.mark.parametrize(
    ("version", "name", "code"),
    [
        ("2004", "cmi._children", "0"), ("2004", "cmi.interactions.0.objectives._children", "301"),
        ("2004", "adl.data._children", "0"), ("1.2", "cmi._children", "0"),
        ("1.2", "cmi.interactions._children", "0"), ("1.2", "cmi.core._version", "201"),
        ("1.2", "cmi.interactions.0.objectives._count", "201"),
    ],
)
def test_keyword_answers(version: str, name: str, code: str) -> None:
    runtime = in_state(version, "running")
    if version == "2004" and "interactions.0" in name:
        runtime.set_value("cmi.interactions.0.id", "i")
    runtime.get_value(name)
    assert runtime.get_last_error() == code


def test_scorm12_nested_write_creates_both_records() -> None:
    runtime = in_state("1.2", "running")
    assert runtime.set_value("cmi.interactions.0.objectives.0.id", "obj") == "true"
    assert runtime.get_value("cmi.interactions._count") == "1"
    assert runtime.get_value("cmi.interactions.0.objectives._count") == "1"
    assert runtime.set_value("cmi.interactions.2.id", "x") == "false"


def test_scorm12_feedback_follows_the_type_that_was_set() -> None:
    runtime = in_state("1.2", "running")
    runtime.set_value("cmi.interactions.0.type", "true-false")
    assert runtime.set_value("cmi.interactions.0.student_response", "t") == "true"
    assert runtime.set_value("cmi.interactions.0.student_response", "yes") == "false"
    assert runtime.set_value("cmi.interactions.0.correct_responses.0.pattern", "1") == "true"


def test_a_2004_pattern_reads_back_in_its_stored_form() -> None:
    runtime = in_state("2004", "running")
    runtime.set_value("cmi.interactions.0.id", "q1")
    runtime.set_value("cmi.interactions.0.type", "long-fill-in")
    assert runtime.set_value("cmi.interactions.0.correct_responses.0.pattern",
                             "{lang=de}{case_matters=true}Antwort") == "true"
    assert runtime.get_value("cmi.interactions.0.correct_responses.0.pattern") == (
        "{case_matters=true}{lang=de}Antwort"
    )
    assert runtime.take_changes()["cmi.interactions.0.correct_responses.0.pattern"] == (
        "{case_matters=true}{lang=de}Antwort"
    )


def test_loading_creates_records_and_checks_types() -> None:
    runtime = CMIRuntime("2004", {
        "cmi.objectives.1.id": "o2", "cmi.objectives.0.id": "o1",
        "cmi.objectives.0.success_status": "passed", "cmi.comments_from_lms.0.comment": "Hi",
    })
    runtime.initialize()
    assert runtime.get_value("cmi.objectives._count") == "2"
    assert runtime.get_value("cmi.objectives.0.success_status") == "passed"
    assert runtime.get_value("cmi.comments_from_lms.0.comment") == "Hi"
    with pytest.raises(DataModelError):
        CMIRuntime("2004", {"cmi.credit": "maybe"})


def test_loading_allows_values_only_the_lms_may_store() -> None:
    runtime = CMIRuntime("1.2", {"cmi.core.lesson_status": "not attempted"})
    runtime.initialize()
    assert runtime.get_value("cmi.core.lesson_status") == "not attempted"


def test_an_emptied_shared_data_store_reads_as_not_initialized() -> None:
    runtime = CMIRuntime("2004", data_maps=[DataMap("urn:b", store="s")])
    runtime.initialize("")
    assert runtime.set_value("adl.data.0.store", "") == "true"
    assert (runtime.get_value("adl.data.0.store"), runtime.get_last_error()) == ("", "403")
    runtime.set_value("adl.data.0.store", "again")
    assert runtime.get_value("adl.data.0.store") == "again"


def test_a_shared_data_store_loaded_empty_reads_as_not_initialized() -> None:
    runtime = CMIRuntime("2004", data_maps=[DataMap("urn:b", store="")])
    runtime.initialize("")
    assert (runtime.get_value("adl.data.0.store"), runtime.get_last_error()) == ("", "403")


def test_loading_accepts_an_objective_id_decoded_from_the_manifest() -> None:
    runtime = CMIRuntime("2004", {"cmi.objectives.0.id": "ob j 1"})
    runtime.initialize()
    assert runtime.get_value("cmi.objectives.0.id") == "ob j 1"
    with pytest.raises(DataModelError):
        CMIRuntime("2004", {"cmi.objectives.0.id": "ob\tj"})


def test_data_maps_follow_loaded_adl_data() -> None:
    runtime = CMIRuntime("2004", {"adl.data.0.id": "urn:a"}, data_maps=[DataMap("urn:b", store="s")])
    runtime.initialize()
    assert [runtime.get_value(f"adl.data.{n}.id") for n in (0, 1)] == ["urn:a", "urn:b"]
    assert runtime.get_value("adl.data.1.store") == "s"
    assert (runtime.set_value("adl.data.2.store", "x"), runtime.get_last_error()) == ("false", "351")


def test_nav_validity_stored_values_are_used_without_a_callback() -> None:
    runtime = CMIRuntime("2004", {
        "adl.nav.request_valid.continue": "true", "adl.nav.request_valid.choice.{target=a}": "false",
    })
    runtime.initialize()
    assert runtime.get_value("adl.nav.request_valid.continue") == "true"
    assert runtime.get_value("adl.nav.request_valid.choice.{target=a}") == "false"
    assert runtime.get_value("adl.nav.request_valid.choice.{target=b}") == "unknown"
    assert runtime.get_value("adl.nav.request_valid.previous") == "unknown"


# --- change tracking -------------------------------------------------------------------


def test_take_changes_keeps_first_order_and_latest_value() -> None:
    runtime = in_state("2004", "running")
    for name, value in [("cmi.interactions.0.id", "q"), ("cmi.interactions.0.type", "choice"),
                        ("cmi.interactions.0.learner_response", "a"), ("cmi.interactions.0.id", "q"),
                        ("cmi.location", "1"), ("cmi.interactions.0.learner_response", "b")]:
        assert runtime.set_value(name, value) == "true"
    runtime.set_value("cmi.score.scaled", "9")  # refused: not a change
    assert list(runtime.take_changes().items()) == [
        ("cmi.interactions.0.id", "q"), ("cmi.interactions.0.type", "choice"),
        ("cmi.interactions.0.learner_response", "b"), ("cmi.location", "1"),
    ]
    assert runtime.take_changes() == {}


def test_a_changed_interaction_type_drops_patterns_and_response() -> None:
    runtime = in_state("2004", "running")
    for name, value in [("cmi.interactions.0.id", "q"), ("cmi.interactions.0.type", "choice"),
                        ("cmi.interactions.0.correct_responses.0.pattern", "a"),
                        ("cmi.interactions.0.learner_response", "a"),
                        ("cmi.interactions.0.type", "choice")]:
        runtime.set_value(name, value)
    assert runtime.get_value("cmi.interactions.0.correct_responses._count") == "1"
    runtime.set_value("cmi.interactions.0.type", "numeric")
    assert runtime.get_value("cmi.interactions.0.correct_responses._count") == "0"
    assert runtime.get_value("cmi.interactions.0.learner_response") == ""
    assert runtime.get_last_error() == "403"
    assert runtime.set_value("cmi.interactions.0.correct_responses.0.pattern", "1[:]2") == "true"
    assert list(runtime.take_changes()) == [
        "cmi.interactions.0.id", "cmi.interactions.0.type",
        "cmi.interactions.0.correct_responses.0.pattern",
    ]


def test_changes_replay_on_the_server_to_the_same_values() -> None:
    client = in_state("2004", "running")
    for name, value in [("cmi.interactions.0.id", "q"), ("cmi.interactions.0.type", "numeric"),
                        ("cmi.interactions.0.correct_responses.0.pattern", "1[:]5"),
                        ("cmi.interactions.0.learner_response", "3"), ("cmi.objectives.0.id", "o"),
                        ("cmi.objectives.0.score.scaled", "0.5"), ("cmi.suspend_data", "s")]:
        assert client.set_value(name, value) == "true"
    server = CMIRuntime("2004")
    assert server.apply_changes(client.take_changes()) == []
    assert server.values == client.values
    assert server.count("cmi.interactions.0.correct_responses") == 1


def test_apply_changes_rejects_the_whole_batch_at_the_first_invalid_value() -> None:
    server = CMIRuntime("2004", {"cmi.location": "before"})
    refused = server.apply_changes({
        "cmi.location": "after", "cmi.objectives.0.id": "o", "cmi.score.scaled": "5",
        "cmi.credit": "no-credit",
    })
    assert [(e.element, e.code, e.condition) for e in refused] == [
        ("cmi.score.scaled", 407, "VALUE_OUT_OF_RANGE")
    ]
    assert server.values == {"cmi.location": "before"}
    assert server.count("cmi.objectives") == 0


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"cmi.credit": "no-credit"}, 404), ({"cmi.interactions.0.type": "choice"}, 408),
     ({"cmi.objectives.1.id": "o"}, 351), ({"cmi.exit": "bogus"}, 406)],
)
def test_apply_changes_uses_the_sco_rules(changes: dict, code: int) -> None:
    assert [e.code for e in CMIRuntime("2004").apply_changes(changes)] == [code]


def test_apply_changes_works_in_any_state() -> None:
    runtime = in_state("2004", "terminated")
    assert runtime.apply_changes({"cmi.location": "x"}) == []
    assert runtime.values["cmi.location"] == "x"


# --- robustness ------------------------------------------------------------------------


def _names(model) -> list[str]:
    return [p.replace(".n.", ".0.") for p in model.elements] + [
        f"{p}._count" for p in model.collections
    ]


NAMES = st.sampled_from(_names(MODEL_2004) + _names(MODEL_12)) | st.text(max_size=40)
CODES = {str(d.code) for table in ERRORS.values() for d in table.values()}


@given(st.sampled_from(["1.2", "2004"]),
       st.lists(st.tuples(NAMES, st.text(max_size=60) | st.sampled_from(["", "0", "1.5", "a[,]b"])),
                max_size=12))
@settings(max_examples=150)
def test_garbage_never_raises_and_always_sets_a_known_code(version: str, calls: list) -> None:
    runtime = CMIRuntime(version)  # type: ignore[arg-type]
    runtime.initialize()
    for name, value in calls:
        assert runtime.set_value(name, value) in ("true", "false")
        assert runtime.get_last_error() in CODES
        assert isinstance(runtime.get_value(name), str)
        assert runtime.get_last_error() in CODES
        assert len(runtime.get_diagnostic("")) <= 255


@pytest.mark.parametrize("argument", [None, 0, "null"])
def test_non_string_arguments_are_answered_not_raised(argument: object) -> None:
    runtime = CMIRuntime("2004")
    assert runtime.initialize(argument) == "false"  # type: ignore[arg-type]
    assert runtime.get_last_error() == "201"


def test_apply_changes_takes_ordered_pairs_as_the_commit_protocol_sends_them() -> None:
    server = CMIRuntime("2004")
    assert server.apply_changes([
        ("cmi.interactions.0.id", "q"), ("cmi.interactions.0.type", "other"),
        ("cmi.location", "a"), ("cmi.location", "b"),
    ]) == []
    assert server.values["cmi.location"] == "b"


def test_state_keyword_loads_the_attempt_state() -> None:
    runtime = CMIRuntime("2004", state={"cmi.location": "p3"})
    assert runtime.phase == "not_initialized"
    runtime.initialize()
    assert runtime.get_value("cmi.location") == "p3"
