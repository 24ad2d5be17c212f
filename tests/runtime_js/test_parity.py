"""The JavaScript adapter core answers exactly as Python's ``CMIRuntime``.

Every case runs through both runtimes (``parity.assert_parity``): each call's return value
and error code, the stored values and counts, the change list, the relaxations, and a replay
of the JS change list through ``apply_changes`` (what the server does) must agree. Covered:
every conformance vector of both versions (also checked against the vector's own
expectation, session vectors through the server rules), every element of both tables, the
ten 2004 response formats and the 1.2 CMIFeedback formats, index rules, cross-version names,
the state machine, the policies, apply_changes, and random call sequences (Hypothesis).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from scorm_player.datamodel import CMIRuntime, DataModelError, end_session, export_json, next_launch
from scorm_player.datamodel.durations import parse_duration, parse_timespan
from tests.datamodel.steps import Vector
from tests.datamodel.test_responses import SAMPLES as RESPONSE_SAMPLES
from tests.datamodel.test_runtime_vectors_12 import VECTORS_12
from tests.datamodel.test_runtime_vectors_2004 import VECTORS_B, VECTORS_C
from tests.datamodel.test_types import SAMPLES as TYPE_SAMPLES
from tests.runtime_js.parity import (
    Call,
    Case,
    JsHarness,
    all_changes,
    assert_parity,
    case,
    get,
    put,
    run_python,
    steps_to_calls,
)
from tests.runtime_js.strategies import EDGE_RESPONSES, cases

VERSIONS = ("1.2", "2004")
EXPORTS = {version: export_json(version) for version in VERSIONS}  # type: ignore[arg-type]
NAV_NAME = re.compile(r"^adl\.nav\.request_valid\.([a-z]+)(?:\.\{target=([^}]*)\})?$")


def results(answer: dict[str, Any]) -> list[list[Any]]:
    return answer["results"]


# region Conformance vectors (conformance-vectors.md A, B, C)


def _nav_table(nav_validity: Any, calls: list[Call]) -> dict[str, str] | None:
    """A vector's nav_validity callback as the table the harness takes."""
    if nav_validity is None:
        return None
    table = {}
    for call in calls:
        match = NAV_NAME.match(call[1]) if len(call) > 1 else None
        if match:
            request, target = match.groups()
            key = request if target is None else f"{request}|{target}"
            table[key] = nav_validity(request, target)
    return table


def _vector_case(version: str, vector: Vector) -> Case:
    options = dict(vector.options)
    calls = steps_to_calls(vector.steps)
    return case(
        version, calls, state=options.pop("state", None), started=vector.started,
        data_maps=[dataclasses.asdict(m) for m in options.pop("data_maps", [])],
        nav_validity=_nav_table(options.pop("nav_validity", None), calls), **options,
    )


VECTORS = [("1.2", v) for v in VECTORS_12] + [("2004", v) for v in [*VECTORS_B, *VECTORS_C]]


@pytest.mark.parametrize(("version", "vector"), VECTORS, ids=[v.id for _, v in VECTORS])
def test_conformance_vector(js: JsHarness, version: str, vector: Vector) -> None:
    answer = assert_parity(js, _vector_case(version, vector))
    played = results(answer)[1:] if vector.started else results(answer)
    assert played == [[step.returns, str(step.code)] for step in vector.steps]


def _session(js: JsHarness, version: str, state: dict[str, str], calls: list[Call]):
    """One launch in JS, then what the server does with its changes: re-validate them,
    apply the LMS rules at Terminate and build the next launch's state."""
    job = case(version, [*calls, ["terminate", ""]], state=state)
    answer = assert_parity(js, job)
    changes = all_changes(job, answer)
    server = CMIRuntime(version, state)  # type: ignore[arg-type]
    assert server.apply_changes([tuple(c) for c in changes]) == []
    status_key = "cmi.core.lesson_status"
    outcome = end_session(
        version, server.values,  # type: ignore[arg-type]
        status_at_launch=state.get(status_key, "not attempted"),
        sco_set={path for path, _ in changes}, launch_values=state,
    )
    return outcome, next_launch(outcome)


def _relaunch(js: JsHarness, version: str, state: dict[str, str], calls: list[Call]) -> list:
    return results(assert_parity(js, case(version, calls, state=state)))[1:]


LMS_2004 = {"cmi.learner_id": "urn:learner:1", "cmi.learner_name": "Ada"}


def test_session_vectors_1_43_and_1_44_entry(js: JsHarness) -> None:
    _, resumed = _session(js, "1.2", {}, [put("cmi.core.exit", "suspend")])
    _, fresh = _session(js, "1.2", {}, [])
    assert _relaunch(js, "1.2", resumed, [get("cmi.core.entry")]) == [["resume", "0"]]
    assert _relaunch(js, "1.2", fresh, [get("cmi.core.entry")]) == [["", "0"]]


def test_session_vector_1_45_total_time(js: JsHarness) -> None:
    _, state = _session(js, "1.2", {"cmi.core.total_time": "00:10:00"},
                        [put("cmi.core.session_time", "00:05:30")])
    [[total, code]] = _relaunch(js, "1.2", state, [get("cmi.core.total_time")])
    assert (parse_timespan(total), code) == (930 * 100, "0")


def test_session_vectors_1_46_and_1_47_status(js: JsHarness) -> None:
    mastery, _ = _session(js, "1.2", {"cmi.student_data.mastery_score": "80"},
                          [put("cmi.core.score.raw", "75")])
    browse, _ = _session(js, "1.2", {"cmi.core.lesson_mode": "browse"}, [])
    assert mastery.values["cmi.core.lesson_status"] == "failed"
    assert browse.values["cmi.core.lesson_status"] == "browsed"


def test_session_vectors_2_72_2_73_c63_entry(js: JsHarness) -> None:
    _, suspended = _session(js, "2004", LMS_2004, [put("cmi.exit", "suspend")])
    _, ended = _session(js, "2004", LMS_2004, [put("cmi.suspend_data", "x"), put("cmi.exit", "normal")])
    _, all_suspended = _session(js, "2004", LMS_2004, [
        put("cmi.suspend_data", "foobar"), put("cmi.exit", "normal"), put("adl.nav.request", "suspendAll"),
    ])
    assert _relaunch(js, "2004", suspended, [get("cmi.entry")]) == [["resume", "0"]]
    assert _relaunch(js, "2004", ended, [get("cmi.entry"), get("cmi.suspend_data")]) == [
        ["ab-initio", "0"], ["", "403"],
    ]
    assert _relaunch(js, "2004", all_suspended, [get("cmi.entry"), get("cmi.suspend_data")]) == [
        ["resume", "0"], ["foobar", "0"],
    ]


def test_session_vectors_c60_c61_c62_time(js: JsHarness) -> None:
    _, v2 = _session(js, "2004", LMS_2004, [
        put("cmi.session_time", "PT01M"), put("cmi.suspend_data", "visit=2"), put("cmi.exit", "suspend"),
    ])
    [[entry, _], [data, _], [total, _]] = _relaunch(
        js, "2004", v2, [get("cmi.entry"), get("cmi.suspend_data"), get("cmi.total_time")])
    assert (entry, data, parse_duration(total)) == ("resume", "visit=2", parse_duration("PT1M"))
    outcome, v6 = _session(js, "2004", v2, [put("cmi.exit", "time-out")])
    assert outcome.nav_request == "exitAll"
    assert _relaunch(js, "2004", v6, [
        get("cmi.entry"), get("cmi.total_time"), get("cmi.completion_status"), get("cmi.suspend_data"),
    ]) == [["ab-initio", "0"], ["PT0H0M0S", "0"], ["unknown", "0"], ["", "403"]]
    _, v7 = _session(js, "2004", LMS_2004, [
        put("adl.nav.request", "suspendAll"), put("cmi.session_time", "P0Y029DT0H"),
    ])
    [[entry, _], [total, _]] = _relaunch(js, "2004", v7, [get("cmi.entry"), get("cmi.total_time")])
    assert (entry, parse_duration(total)) == ("resume", parse_duration("P29D"))


def test_session_vectors_c64_c65_threshold(js: JsHarness) -> None:
    lms = {**LMS_2004, "cmi.completion_threshold": "0.8"}
    _, v3 = _session(js, "2004", lms, [
        put("cmi.progress_measure", "0.5"), put("cmi.completion_status", "not attempted"),
        put("cmi.exit", "suspend"),
    ])
    _, v4 = _session(js, "2004", v3, [
        get("cmi.completion_status"), put("cmi.progress_measure", "0.9"),
        put("cmi.completion_status", "incomplete"), put("cmi.exit", "suspend"),
    ])
    assert _relaunch(js, "2004", v3, [get("cmi.completion_status")]) == [["incomplete", "0"]]
    assert _relaunch(js, "2004", v4, [get("cmi.completion_status")]) == [["completed", "0"]]


# endregion
# region Every element of both tables

#: A launch state with one record in every collection (loads in both runtimes).
POPULATED = {
    "1.2": {
        "cmi.core.student_id": "s1", "cmi.core.student_name": "Doe, Jo",
        "cmi.launch_data": "ld", "cmi.comments_from_lms": "hi",
        "cmi.student_data.mastery_score": "80", "cmi.student_data.max_time_allowed": "00:30:00",
        "cmi.student_data.time_limit_action": "exit,message",
        "cmi.objectives.0.id": "o0", "cmi.objectives.0.score.raw": "50",
        "cmi.interactions.0.id": "q0", "cmi.interactions.0.type": "choice",
        "cmi.interactions.0.objectives.0.id": "o0",
        "cmi.interactions.0.correct_responses.0.pattern": "a",
    },
    "2004": {
        "cmi.learner_id": "urn:learner:1", "cmi.learner_name": "{lang=en}Jo",
        "cmi.completion_threshold": "0.5", "cmi.scaled_passing_score": "0.5",
        "cmi.max_time_allowed": "PT1H", "cmi.launch_data": "ld", "cmi.location": "p1",
        "cmi.objectives.0.id": "o0", "cmi.objectives.0.score.scaled": "0.5",
        "cmi.interactions.0.id": "q0", "cmi.interactions.0.type": "choice",
        "cmi.interactions.0.objectives.0.id": "o0",
        "cmi.interactions.0.correct_responses.0.pattern": "a[,]b",
        "cmi.interactions.0.learner_response": "a",
        "cmi.comments_from_learner.0.comment": "c", "cmi.comments_from_lms.0.comment": "lms",
        "adl.data.0.id": "urn:map:0", "adl.data.0.store": "shared",
        "adl.nav.request_valid.continue": "true",
    },
}
GENERIC_VALUES = [
    "", "x", "0", "1", "-1", "0.5", "1.5", "101", "true", "a b", "x" * 256, "\U0001f600", "Completed",
]


def _name(pattern: str, element: dict[str, Any]) -> str:
    name = pattern.replace(".n.", ".0.")
    return f"{name}.{{{element['argument']}=s1}}" if element["argument"] else name


def _element_values(version: str, element: dict[str, Any]) -> list[str]:
    good, bad = TYPE_SAMPLES.get((version, element["type"]), ([], []))
    values = [*good, *bad, *(element["vocabulary"] or []), *element["lms_values"], *GENERIC_VALUES]
    return list(dict.fromkeys(values))


def _keyword_calls(name: str) -> list[Call]:
    tokens = name.split(".")
    calls: list[Call] = []
    for end in range(1, len(tokens) + 1):
        prefix = ".".join(tokens[:end])
        calls += [get(f"{prefix}._children"), get(f"{prefix}._count"), get(f"{prefix}._version"),
                  put(f"{prefix}._count", "1")]
    return calls


ELEMENTS = [(v, p, s) for v in VERSIONS for p in EXPORTS[v]["elements"] for s in ("fresh", "populated")]


@pytest.mark.parametrize(("version", "pattern", "setup"), ELEMENTS)
def test_element(js: JsHarness, version: str, pattern: str, setup: str) -> None:
    element = EXPORTS[version]["elements"][pattern]
    name = _name(pattern, element)
    calls = [get(name)]
    for value in _element_values(version, element):
        calls += [put(name, value), ["get_last_error"], get(name)]
    state = POPULATED[version] if setup == "populated" else {}
    assert_parity(js, case(version, [*calls, *_keyword_calls(name)], state=state))


def test_element_matrix_covers_both_tables() -> None:
    assert len(ELEMENTS) == 2 * (len(EXPORTS["1.2"]["elements"]) + len(EXPORTS["2004"]["elements"]))


# endregion
# region Response formats

ID, TYPE = "cmi.interactions.0.id", "cmi.interactions.0.type"
PATTERN = "cmi.interactions.0.correct_responses.{}.pattern"
COUNT = "cmi.interactions.0.correct_responses._count"
TARGETS = {"pattern": PATTERN.format(0), "response": "cmi.interactions.0.learner_response"}


@pytest.mark.parametrize("kind", sorted(RESPONSE_SAMPLES))
@pytest.mark.parametrize("side", ["pattern", "response"])
def test_2004_response_format(js: JsHarness, kind: str, side: str) -> None:
    good, bad = RESPONSE_SAMPLES[kind][side]
    calls = [put(ID, "urn:q:1"), put(TYPE, kind)]
    for value in [*good, *bad]:
        calls += [put(TARGETS[side], value), get(TARGETS[side]), get(COUNT)]
    answer = assert_parity(js, case("2004", calls))
    verdicts = [r[1] for r in results(answer)[3::3]]
    assert verdicts == ["0"] * len(good) + ["406"] * len(bad)


@pytest.mark.parametrize("kind", sorted(RESPONSE_SAMPLES))
def test_2004_response_edges(js: JsHarness, kind: str) -> None:
    calls = [put(ID, "urn:q:1"), put(TYPE, kind)]
    for value in EDGE_RESPONSES:
        calls += [put(TARGETS["pattern"], value), put(TARGETS["response"], value)]
    assert_parity(js, case("2004", calls))


@pytest.mark.parametrize("kind", sorted(RESPONSE_SAMPLES))
def test_2004_pattern_count_uniqueness_and_type_change(js: JsHarness, kind: str) -> None:
    good, _ = RESPONSE_SAMPLES[kind]["pattern"]
    calls = [put(ID, "urn:q:1"), put(TYPE, kind)]
    for index in range(12):  # past every max_patterns and patterns_spm
        calls += [put(PATTERN.format(index), good[index % len(good)]), get(COUNT)]
    calls += [put(PATTERN.format(1), good[0]), put("cmi.interactions.0.learner_response", good[-1])]
    calls += [put(TYPE, "other"), get(COUNT), get(PATTERN.format(0)), put(TYPE, "other"),
              put(PATTERN.format(0), "again"), put(PATTERN.format(1), "again"), get(COUNT)]
    assert_parity(js, case("2004", calls))


FEEDBACK_12 = ["", "0", "1", "t", "f", "true", "a", "z", "A", "a,b", "{a,b}", "{a,b", "a,",
               "1.a,2.c", "{1.a}", "1.a,", "a,c,b", "5.5", "-.5", "1e5", "x y", "x" * 255, "x" * 256]


@pytest.mark.parametrize("kind", EXPORTS["1.2"]["elements"]["cmi.interactions.n.type"]["vocabulary"])
def test_12_feedback_format(js: JsHarness, kind: str) -> None:
    calls = [put("cmi.interactions.0.correct_responses.0.pattern", "a"), put(TYPE, kind)]
    for value in FEEDBACK_12:
        calls += [put("cmi.interactions.0.correct_responses.0.pattern", value),
                  put("cmi.interactions.0.student_response", value)]
    assert_parity(js, case("1.2", calls))


# endregion
# region Index rules, cross-version names, state machine, policies


INDEX_CALLS = {
    "1.2": [
        get("cmi.objectives.0.id"), put("cmi.objectives.1.id", "o1"), put("cmi.objectives.0.id", "o0"),
        put("cmi.objectives.00.id", "o0"), put("cmi.objectives.01.id", "o1"), get("cmi.objectives.01.id"),
        put("cmi.objectives.1.score.raw", "5"), get("cmi.objectives._count"),
        put("cmi.interactions.0.objectives.1.id", "x"), put("cmi.interactions.0.objectives.0.id", "x"),
        get("cmi.interactions.0.objectives._count"), get("cmi.interactions.1.objectives._count"),
        put("cmi.interactions.0.correct_responses.2.pattern", "a"), put("cmi.objectives.x.id", "o"),
        put("cmi.objectives.-1.id", "o"), get("cmi.objectives"), get("cmi.objectives.2"),
    ],
    "2004": [
        get("cmi.interactions.0.id"), put("cmi.interactions.1.id", "q1"),
        put("cmi.interactions.0.type", "choice"), put("cmi.interactions.0.id", "q0"),
        put("cmi.interactions.01.id", "q0"), get("cmi.interactions.00.id"),
        put("cmi.interactions.0.objectives.0.id", "o"), put("cmi.interactions.0.objectives.1.id", "o"),
        put("cmi.interactions.0.objectives.2.id", "o2"), put("cmi.interactions.1.objectives.0.id", "o"),
        put("cmi.interactions.0.correct_responses.0.pattern", "a"),
        put("cmi.objectives.0.score.raw", "1"), put("cmi.objectives.0.id", "o0"),
        put("cmi.objectives.1.id", "o0"), put("cmi.objectives.0.id", "o1"), put("cmi.objectives.0.id", "o0"),
        put("cmi.comments_from_learner.0.location", "l"), put("cmi.comments_from_learner.2.comment", "c"),
        put("cmi.comments_from_lms.0.comment", "c"), put("adl.data.0.store", "s"),
        get("adl.data.0.id"), get("cmi.objectives.1.id"), get("cmi.objectives.0.description"),
    ],
}


@pytest.mark.parametrize("version", VERSIONS)
def test_index_rules(js: JsHarness, version: str) -> None:
    assert_parity(js, case(version, INDEX_CALLS[version]))


def test_each_version_answers_the_other_versions_names(js: JsHarness) -> None:
    names = sorted({_name(p, e) for v in VERSIONS for p, e in EXPORTS[v]["elements"].items()})
    calls = [call for name in names for call in (get(name), put(name, "x"))]
    for version in VERSIONS:
        assert_parity(js, case(version, calls, state=POPULATED[version]))


SESSION_CALLS: list[Call] = [
    ["initialize", ""], ["initialize", "x"], ["commit", ""], ["commit", "x"], ["terminate", "x"],
    get("cmi.suspend_data"), put("cmi.suspend_data", "x"), ["terminate", ""],
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("phase", [0, 1, 2])
@pytest.mark.parametrize("commit_fails", [False, True])
def test_state_machine(js: JsHarness, version: str, phase: int, commit_fails: bool) -> None:
    setup = [["initialize", ""], ["terminate", ""]][:phase]
    calls: list[Call] = []
    for call in SESSION_CALLS:
        calls += [call, ["get_last_error"], ["get_diagnostic", ""], ["get_error_string", "0"],
                  ["get_diagnostic", "201"], ["get_error_string", "201"], ["get_last_error"]]
    assert_parity(js, case(version, [*setup, *calls], started=False, commit_fails=commit_fails))


POLICY_CALLS = {
    "1.2": [
        put("cmi.suspend_data", "x" * 4096), put("cmi.suspend_data", "x" * 4097),
        put("cmi.suspend_data", "x" * 64000), put("cmi.suspend_data", "x" * 64001),
        put("cmi.suspend_data", "\U0001f600" * 4097), put("cmi.core.lesson_location", "x" * 255),
        put("cmi.core.lesson_location", "\U0001f600" * 256), put("cmi.comments", "x" * 4097),
        get("cmi.suspend_data"),
    ],
    "2004": [
        put("cmi.location", "x" * 1000), put("cmi.location", "x" * 1001),
        put("cmi.location", "\U0001f600" * 1001), get("cmi.location"),
        put("cmi.suspend_data", "x" * 64001),
        put("cmi.comments_from_learner.0.comment", "{lang=en}" + "\u00e9" * 4001),
        get("cmi.comments_from_learner.0.comment"), put("cmi.comments_from_learner.0.location", "x" * 251),
        put("cmi.interactions.0.id", "urn:x:" + "a" * 4000), put("cmi.interactions.0.type", "fill-in"),
        put("cmi.interactions.0.description", "{lang=de-CH}" + "\U0001f600" * 251),
        put("cmi.interactions.0.learner_response", "x" * 251), put(PATTERN.format(0), "[,]".join("x" * 11)),
        put("cmi.learner_preference.language", "en-" + "-".join(["abcdefgh"] * 30)),
        get("cmi.interactions.0.description"),
    ],
}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("policy", ["lenient", "strict"])
def test_policy_lengths(js: JsHarness, version: str, policy: str) -> None:
    answer = assert_parity(js, case(version, POLICY_CALLS[version], policy=policy))
    if version == "1.2":
        assert [r[1] for r in results(answer)[2:3]] == (["0"] if policy == "lenient" else ["405"])


def test_apply_changes_is_all_or_nothing(js: JsHarness) -> None:
    good = [["cmi.interactions.0.id", "q"], ["cmi.interactions.0.type", "numeric"],
            ["cmi.interactions.0.learner_response", "5"]]
    bad = [["cmi.location", "p"], ["cmi.score.scaled", "2"]]
    assert_parity(js, case("2004", [
        ["apply_changes", bad], get("cmi.location"), ["apply_changes", good],
        get("cmi.interactions.0.learner_response"), ["apply_changes", [["cmi.interactions.1.id", "x"]]],
    ]))


def test_data_maps_already_in_the_page_state_get_their_permissions(js: JsHarness) -> None:
    """The page's state holds the adl.data records and data_maps only add permissions; the
    server builds the same records from the maps alone."""
    calls = [get("adl.data._count"), get("adl.data.0.store"), put("adl.data.0.store", "n"),
             get("adl.data.1.store"), put("adl.data.1.store", "w"), get("adl.data.1.id")]
    maps = [{"id": "notes", "read_shared_data": False, "write_shared_data": True},
            {"id": "scores", "read_shared_data": True, "write_shared_data": False}]
    page = js.run(case("2004", calls, data_maps=maps, state={
        "adl.data.0.id": "notes", "adl.data.0.store": "s", "adl.data.1.id": "scores"}))
    server = run_python(case("2004", calls, data_maps=[{**maps[0], "store": "s"}, maps[1]]))
    assert page["results"] == server["results"]
    assert page["results"][1:] == [["2", "0"], ["", "405"], ["true", "0"], ["", "403"],
                                   ["false", "404"], ["scores", "0"]]


CHANGE_SEQUENCES = {
    "records-created-by-plain-writes": ("2004", {}, [
        put("cmi.comments_from_learner.0.comment", "a"), put("cmi.comments_from_learner.1.comment", "b"),
        put("cmi.comments_from_learner.0.comment", "c"), put("cmi.comments_from_learner.0.location", "l"),
        put("cmi.comments_from_learner.0.location", "m"),
    ]),
    "12-records-created-by-scores": ("1.2", {}, [
        put("cmi.objectives.0.score.raw", "1"), put("cmi.objectives.1.score.raw", "2"),
        put("cmi.objectives.0.score.raw", "3"),
    ]),
    "unique-ids-swapped": ("2004", {
        "cmi.interactions.0.id": "q", "cmi.interactions.0.objectives.0.id": "a",
        "cmi.interactions.0.objectives.1.id": "b",
    }, [
        put("cmi.interactions.0.objectives.0.id", "c"), put("cmi.interactions.0.objectives.1.id", "a"),
        put("cmi.interactions.0.objectives.0.id", "b"),
    ]),
    "type-change-erases": ("2004", {}, [
        put(ID, "q"), put(TYPE, "choice"), put(PATTERN.format(0), "a"),
        put("cmi.interactions.0.learner_response", "a"), put(TYPE, "numeric"),
        put(PATTERN.format(0), "1[:]2"), put(TYPE, "numeric"),
        put("cmi.interactions.0.weighting", "1"), put("cmi.interactions.0.weighting", "2"),
    ]),
}


@pytest.mark.parametrize("name", CHANGE_SEQUENCES)
def test_change_list_replays_on_the_server(js: JsHarness, name: str) -> None:
    version, state, calls = CHANGE_SEQUENCES[name]
    assert_parity(js, case(version, calls, state=state))


def test_change_list_keeps_one_write_of_a_plain_value(js: JsHarness) -> None:
    calls = [put(name, str(n)) for n in range(20) for name in ("cmi.location", "cmi.suspend_data")]
    answer = assert_parity(js, case("2004", calls))
    assert answer["changes"] == [["cmi.location", "19"], ["cmi.suspend_data", "19"]]


@pytest.mark.parametrize(
    ("version", "state"),
    [
        ("2004", {"cmi.learner_id": "a b"}), ("2004", {"cmi.foo": "x"}),
        ("2004", {"cmi.interactions.01.id": "x"}), ("2004", {"cmi._version": "1"}),
        ("2004", {"cmi.completion_threshold": "2"}), ("1.2", {"cmi.core.lesson_status": "done"}),
        ("1.2", {"cmi.core.score.raw": "101"}),
    ],
)
def test_a_state_python_refuses_is_listed_and_skipped_by_js(
    js: JsHarness, version: str, state: dict[str, str]
) -> None:
    with pytest.raises(DataModelError):
        CMIRuntime(version, state)  # type: ignore[arg-type]
    answer = js.run(case(version, [], state={"cmi.suspend_data": "kept", **state}, started=False))
    assert answer["load_errors"] == list(state)
    assert answer["values"] == {"cmi.suspend_data": "kept"}


# endregion
# region Random call sequences


PROPERTY_SETTINGS = settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY_SETTINGS
@given(job=cases("1.2"))
def test_random_sequences_12(js: JsHarness, job: Case) -> None:
    assert_parity(js, job)


@PROPERTY_SETTINGS
@given(job=cases("2004"))
def test_random_sequences_2004(js: JsHarness, job: Case) -> None:
    assert_parity(js, job)


# endregion
