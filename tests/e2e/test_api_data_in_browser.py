"""Whole CMI records through the real player, read back by the SCO and stored by the server.

Our own vectors beside the conformance ones: an interaction of each type with every field
(2004 and 1.2), objectives, learner comments, preferences that follow the learner to another
SCO, shared data between SCOs (and none where the manifest declares none), navigation
requests, the keyword elements, and the compatibility policy deciding how long suspend data
may be. Each is driven by a probe SCO through the API, then checked in what the server
stored (results, or what the next launch hands the SCO).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import API, Launch, Learner, LiveServer
from tests.e2e.pages import Answer, Call, PlayerPage

pytestmark = pytest.mark.browser

Record = dict[str, str]  # a collection entry: name under "collection.n." -> value


def _set(method: str, collection: str, records: list[Record]) -> list[Call]:
    """SetValue every field of every record, record ``n`` at ``collection.n``."""
    return [
        [method, f"{collection}.{n}.{name}", value]
        for n, record in enumerate(records)
        for name, value in record.items()
    ]


def _get(collection: str, records: list[Record]) -> list[Call]:
    return [
        ["GetValue", f"{collection}.{n}.{name}"]
        for n, record in enumerate(records)
        for name in record
    ]


def _values(records: list[Record]) -> list[str]:
    return [value for record in records for value in record.values()]


def _ok(answers: list[Answer]) -> list[Answer]:
    """The answers that are errors (none, for a call sequence that must all succeed)."""
    return [a for a in answers if a.error != 0]


def _round_trip(player: PlayerPage, collection: str, records: list[Record]) -> list[str]:
    """2004: Initialize, set every record, Commit, read every field back; the values read,
    once the server acknowledged the commit."""
    reads = _get(collection, records)
    answers = player.sco.run([
        ["Initialize", ""], *_set("SetValue", collection, records), ["Commit", ""], *reads,
    ])
    assert _ok(answers) == []
    player.expect_saved()
    return [a.result for a in answers[-len(reads):]]


# region Interactions

# type -> (correct_responses.0.pattern, learner_response, result), 2004 RTE 4.2.9 formats,
# each pattern in the form it is stored (a long-fill-in drops {lang=en}: responses.py).
INTERACTIONS_2004 = {
    "true-false": ("true", "false", "incorrect"),
    "choice": ("a[,]b", "b[,]a", "correct"),
    "fill-in": ("{lang=en}Paris", "Paris", "correct"),
    "long-fill-in": ("{case_matters=true}{lang=de}A long answer", "A long answer", "correct"),
    "matching": ("a[.]1[,]b[.]2", "a[.]1[,]b[.]2", "correct"),
    "performance": ("{order_matters=false}s1[.]x[,]s2[.]y", "s1[.]x[,]s2[.]y", "correct"),
    "sequencing": ("a[,]b[,]c", "c[,]b[,]a", "incorrect"),
    "likert": ("agree", "strongly_agree", "neutral"),
    "numeric": ("10[:]20", "15", "correct"),
    "other": ("anything goes", "whatever", "0.5"),
}
RECORDS_2004 = [
    {
        "id": f"urn:rt:q{n}", "type": kind, "objectives.0.id": "urn:rt:obj",
        "timestamp": "2026-11-25T09:21:06.5Z", "correct_responses.0.pattern": pattern,
        "weighting": "2.5", "learner_response": response, "result": result,
        "latency": "PT12.5S", "description": f"{{lang=en}}Question {n}",
    }
    for n, (kind, (pattern, response, result)) in enumerate(INTERACTIONS_2004.items())
]

# type -> (correct_responses.0.pattern, student_response, result), 1.2 CMIFeedback.
INTERACTIONS_12 = {
    "true-false": ("t", "f", "wrong"),
    "choice": ("a,b", "b,a", "correct"),
    "fill-in": ("Paris", "Paris", "correct"),
    "matching": ("1.a,2.b", "1.a,2.b", "correct"),
    "performance": ("step one", "step one", "neutral"),
    "sequencing": ("a,b,c", "c,b,a", "wrong"),
    "likert": ("3", "4", "unanticipated"),
    "numeric": ("15", "15", "0.5"),
}
RECORDS_12 = [
    {
        "id": f"q{n}", "objectives.0.id": "obj1", "time": "09:21:06", "type": kind,
        "correct_responses.0.pattern": pattern, "weighting": "2.5", "student_response": response,
        "result": result, "latency": "00:00:12.5",
    }
    for n, (kind, (pattern, response, result)) in enumerate(INTERACTIONS_12.items())
]


def _interaction_rows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (row["identifier"], row["type"], list(row["correct_responses"]), row["learner_response"],
         row["result"], row["weighting"], row["latency"], list(row["objective_ids"]),
         row["timestamp"])
        for row in rows
    ]


def test_an_interaction_of_each_2004_type_is_read_back_and_stored(
    server: LiveServer, launch: Launch, settings2004: str, learner: str
) -> None:
    player = launch(settings2004, learner, item="plain")

    read = _round_trip(player, "cmi.interactions", RECORDS_2004)

    assert read == _values(RECORDS_2004)
    rows = server.sco(settings2004, learner, "plain")["interactions"]
    assert _interaction_rows(rows) == [
        (r["id"], r["type"], [r["correct_responses.0.pattern"]], r["learner_response"],
         r["result"], 2.5, "PT12.5S", ["urn:rt:obj"], r["timestamp"])
        for r in RECORDS_2004
    ]
    assert [row["description"] for row in rows] == [r["description"] for r in RECORDS_2004]


def test_an_interaction_of_each_12_type_is_stored_and_write_only(
    server: LiveServer, launch: Launch, probe12: str, learner: str
) -> None:
    player = launch(probe12, learner, item="sco-two")

    answers = player.sco.run([
        ["LMSInitialize", ""], *_set("LMSSetValue", "cmi.interactions", RECORDS_12),
        ["LMSCommit", ""],
    ])
    counts = player.sco.run([
        ["LMSGetValue", "cmi.interactions._count"], ["LMSGetValue", "cmi.interactions.7.id"],
        ["LMSGetValue", "cmi.interactions.7.objectives._count"],
        ["LMSGetValue", "cmi.interactions.7.correct_responses._count"],
    ])

    assert _ok(answers) == []
    assert counts == [Answer("8", 0), Answer("", 404), Answer("1", 0), Answer("1", 0)]
    player.expect_saved()
    rows = server.sco(probe12, learner, "sco-two")["interactions"]
    assert _interaction_rows(rows) == [
        (r["id"], r["type"], [r["correct_responses.0.pattern"]], r["student_response"],
         r["result"], 2.5, "00:00:12.5", ["obj1"], "09:21:06")
        for r in RECORDS_12
    ]


# endregion
# region Objectives

OBJECTIVES_2004 = [
    {"id": "urn:rt:obj1", "score.scaled": "0.75", "score.raw": "75", "score.min": "0",
     "score.max": "100", "success_status": "passed", "completion_status": "completed",
     "progress_measure": "1", "description": "{lang=en}First objective"},
    {"id": "urn:rt:obj2", "score.scaled": "-0.5", "success_status": "failed",
     "completion_status": "incomplete", "progress_measure": "0.25"},
]


def test_2004_objectives_are_read_back_and_stored(
    server: LiveServer, launch: Launch, settings2004: str, learner: str
) -> None:
    player = launch(settings2004, learner, item="plain")

    read = _round_trip(player, "cmi.objectives", OBJECTIVES_2004)

    assert read == _values(OBJECTIVES_2004)
    rows = server.sco(settings2004, learner, "plain")["objectives"]
    assert [
        (o["identifier"], o["success_status"], o["completion_status"], o["score_scaled"],
         o["score_raw"], o["score_min"], o["score_max"], o["progress_measure"], o["description"])
        for o in rows
    ] == [
        ("urn:rt:obj1", "passed", "completed", 0.75, 75, 0, 100, 1, "{lang=en}First objective"),
        ("urn:rt:obj2", "failed", "incomplete", -0.5, None, None, None, 0.25, None),
    ]


def test_manifest_objectives_are_there_from_the_start(
    launch: Launch, probe2004: str, learner: str
) -> None:
    player = launch(probe2004, learner, item="sco-one")

    answers = player.sco.run([
        ["Initialize", ""], ["GetValue", "cmi.objectives._count"],
        ["GetValue", "cmi.objectives.0.id"], ["GetValue", "cmi.objectives.1.id"],
        ["GetValue", "cmi.objectives.1.success_status"],
    ])

    assert answers[1:] == [
        Answer("2", 0), Answer("primary-one", 0), Answer("extra-one", 0), Answer("unknown", 0),
    ]


def test_12_objectives_are_stored_with_normalised_statuses(
    server: LiveServer, launch: Launch, probe12: str, learner: str
) -> None:
    player = launch(probe12, learner, item="sco-two")
    objectives = [
        {"id": "obj1", "score.raw": "80", "score.min": "0", "score.max": "100", "status": "passed"},
        {"id": "obj2", "status": "incomplete"},
    ]

    answers = player.sco.run([
        ["LMSInitialize", ""], *_set("LMSSetValue", "cmi.objectives", objectives),
        ["LMSCommit", ""],
        ["LMSGetValue", "cmi.objectives.0.status"], ["LMSGetValue", "cmi.objectives.0.score.raw"],
        ["LMSGetValue", "cmi.objectives._count"],
    ])

    assert _ok(answers) == []
    assert [a.result for a in answers[-3:]] == ["passed", "80", "2"]
    player.expect_saved()
    rows = server.sco(probe12, learner, "sco-two")["objectives"]
    assert [
        (o["identifier"], o["completion_status"], o["success_status"], o["score_raw"]) for o in rows
    ] == [("obj1", "completed", "passed", 80), ("obj2", "incomplete", "unknown", None)]


# endregion
# region Comments, preferences, shared data


def test_2004_learner_comments_come_back_on_resume(on2004: Learner) -> None:
    comments = [
        {"comment": "{lang=en}Great", "location": "page-3", "timestamp": "2026-11-25T09:21:06"},
        {"comment": "Second thoughts", "location": "page-9", "timestamp": "2026-11-25T10:00"},
    ]
    on2004.finish("plain", [
        *_set("SetValue", "cmi.comments_from_learner", comments),
        ["SetValue", "cmi.exit", "suspend"],
    ])

    answers = on2004.reopen("plain", [
        ["GetValue", "cmi.comments_from_learner._count"],
        ["GetValue", "cmi.comments_from_lms._count"], *_get("cmi.comments_from_learner", comments),
    ])

    assert answers == [Answer(v, 0) for v in ["2", "0", *_values(comments)]]


def test_12_comments_come_back_on_resume(on12: Learner) -> None:
    on12.finish("sco-two", [
        ["LMSSetValue", "cmi.comments", "Nice course"], ["LMSSetValue", "cmi.core.exit", "suspend"],
    ])

    assert on12.reopen("sco-two", [
        ["LMSGetValue", "cmi.comments"], ["LMSGetValue", "cmi.comments_from_lms"],
    ]) == [Answer("Nice course", 0), Answer("", 0)]


PREFERENCES = {
    "2004": ("cmi.learner_preference.", {
        "audio_level": "2.5", "language": "fr-CA", "delivery_speed": "1.5", "audio_captioning": "1",
    }),
    "1.2": ("cmi.student_preference.", {
        "audio": "-1", "language": "fr", "speed": "-50", "text": "1",
    }),
}


@pytest.mark.parametrize(
    ("version", "package", "first", "second"),
    [
        ("2004", "rt-scorm2004-settings", "plain", "threshold-08"),
        ("1.2", "probe-scorm12", "sco-two", "sco-one"),
    ],
    ids=["2004", "1.2"],
)
def test_learner_preferences_follow_the_learner_to_another_sco(
    server: LiveServer, as_learner: Callable[[str], Learner],
    version: str, package: str, first: str, second: str,
) -> None:
    prefix, values = PREFERENCES[version]
    api = API[version]
    me = as_learner(server.course(package))
    me.finish(first, [[api["set_value"], prefix + name, value] for name, value in values.items()])

    answers = me.reopen(second, [[api["get_value"], prefix + name] for name in values])

    assert answers == [Answer(value, 0) for value in values.values()]


def test_adl_data_the_manifest_does_not_declare_is_out_of_range(
    launch: Launch, settings2004: str, learner: str
) -> None:
    player = launch(settings2004, learner, item="plain")

    answers = player.sco.run([
        ["Initialize", ""], ["GetValue", "adl.data._count"], ["GetValue", "adl.data._children"],
        ["GetValue", "adl.data.0.id"], ["GetValue", "adl.data.0.store"],
        ["SetValue", "adl.data.0.store", "x"],
    ])

    assert answers[1:] == [
        Answer("0", 0), Answer("id,store", 0), Answer("", 301), Answer("", 301),
        Answer("false", 351),
    ]


def test_adl_data_written_by_one_sco_is_read_by_another(on2004: Learner) -> None:
    on2004.finish("map-rw", [["SetValue", "adl.data.0.store", "shared!"]])

    answers = on2004.reopen("map-rw-reader", [  # the same map, not writable there
        ["GetValue", "adl.data.0.id"], ["GetValue", "adl.data.0.store"],
        ["SetValue", "adl.data.0.store", "mine"],
    ])

    assert answers == [Answer("urn:rt:map:rw", 0), Answer("shared!", 0), Answer("false", 404)]


# endregion
# region Navigation requests and keywords

CHOICE = "{target=threshold-08}choice"
NAV_VALID = [
    "continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_",
    "{target=threshold-08}jump", CHOICE,
]
NAV_INVALID = ["next", "start", "resumeAll", "choice", "{target=}choice", "Continue", "retry"]


def test_navigation_requests_are_checked_and_the_last_one_is_carried_out(
    server: LiveServer, launch: Launch, settings2004: str, learner: str
) -> None:
    player = launch(settings2004, learner, item="plain")

    answers = player.sco.run([
        ["Initialize", ""], ["GetValue", "adl.nav.request"],
        *[["SetValue", "adl.nav.request", v] for v in NAV_INVALID + NAV_VALID],
        ["GetValue", "adl.nav.request"], ["Terminate", ""],
    ])

    assert answers[1:] == [
        Answer("_none_", 0), *[Answer("false", 406)] * len(NAV_INVALID),
        *[Answer("true", 0)] * len(NAV_VALID), Answer(CHOICE, 0), Answer("true", 0),
    ]
    expect(player.heading).to_have_text("Completion threshold 0.8")  # the player went there
    assert server.sco(settings2004, learner, "plain")["nav_request"] == CHOICE


# The keyword lists of cmi-2004.md and cmi-1.2.md section 2 (their order is not significant).
CHILDREN_2004 = {
    "cmi.comments_from_learner._children": "comment,location,timestamp",
    "cmi.comments_from_lms._children": "comment,location,timestamp",
    "cmi.interactions._children": "id,type,objectives,timestamp,correct_responses,weighting,"
                                  "learner_response,result,latency,description",
    "cmi.learner_preference._children": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.objectives._children": "id,score,success_status,completion_status,progress_measure,"
                                "description",
    "cmi.score._children": "scaled,raw,min,max",
    "cmi.objectives.0.score._children": "scaled,raw,min,max",
    "adl.data._children": "id,store",
}
CHILDREN_12 = {
    "cmi._children": "core,suspend_data,launch_data,comments,objectives,student_data,"
                     "student_preference,interactions",
    "cmi.core._children": "student_id,student_name,lesson_location,credit,lesson_status,entry,"
                          "score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score._children": "raw,min,max",
    "cmi.objectives._children": "id,score,status",
    "cmi.objectives.0.score._children": "raw,min,max",
    "cmi.student_data._children": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference._children": "audio,language,speed,text",
    "cmi.interactions._children": "id,objectives,time,type,correct_responses,weighting,"
                                  "student_response,result,latency",
}


def _as_sets(answers: list[Answer]) -> list[tuple[frozenset[str], int]]:
    return [(frozenset(a.result.split(",")), a.error) for a in answers]


def _lists(children: dict[str, str]) -> list[tuple[frozenset[str], int]]:
    return [(frozenset(names.split(",")), 0) for names in children.values()]


def test_2004_keywords(launch: Launch, settings2004: str, learner: str) -> None:
    player = launch(settings2004, learner, item="map-rw")
    player.sco.run([["Initialize", ""], ["SetValue", "cmi.objectives.0.id", "o1"]])

    children = player.sco.run([["GetValue", name] for name in CHILDREN_2004])
    others = player.sco.run([
        ["GetValue", "cmi._version"], ["GetValue", "cmi.objectives._count"],
        ["GetValue", "adl.data._count"], ["GetValue", "cmi.location._children"],
        ["GetValue", "cmi.location._count"], ["GetValue", "cmi.score._version"],
        ["SetValue", "cmi.score._children", "x"], ["SetValue", "cmi.interactions._count", "1"],
        ["SetValue", "cmi._version", "2.0"],
    ])

    assert _as_sets(children) == _lists(CHILDREN_2004)
    assert others == [
        Answer("1.0", 0), Answer("1", 0), Answer("1", 0), Answer("", 301), Answer("", 301),
        Answer("", 301), Answer("false", 404), Answer("false", 404), Answer("false", 404),
    ]


def test_12_keywords(launch: Launch, probe12: str, learner: str) -> None:
    player = launch(probe12, learner, item="sco-one")
    player.sco.run([["LMSInitialize", ""], ["LMSSetValue", "cmi.objectives.0.id", "o1"]])

    children = player.sco.run([["LMSGetValue", name] for name in CHILDREN_12])
    others = player.sco.run([
        ["LMSGetValue", "cmi._version"], ["LMSGetValue", "cmi.objectives._count"],
        ["LMSGetValue", "cmi.core.lesson_location._children"],
        ["LMSGetValue", "cmi.suspend_data._count"],
        ["LMSSetValue", "cmi.core.score._children", "x"],
        ["LMSSetValue", "cmi._version", "4"], ["LMSGetValue", "cmi.student_data.mastery_score"],
        ["LMSGetValue", "cmi.launch_data"],
    ])

    assert _as_sets(children) == _lists(CHILDREN_12)
    assert others == [
        Answer("3.4", 0), Answer("1", 0), Answer("", 202), Answer("", 203), Answer("false", 402),
        Answer("false", 402), Answer("80", 0), Answer("launch data for one", 0),
    ]


# endregion
# region Compatibility policy: long suspend data


@pytest.mark.parametrize(
    ("package", "item", "policy", "lengths", "stored"),
    [
        # 1.2 lenient: up to 64,000 characters (the policy's limit), one more is 405.
        ("probe-scorm12", "sco-two", None, {4096: 0, 4097: 0, 64000: 0, 64001: 405}, 64000),
        # 1.2 strict: CMIString4096 exactly.
        ("probe-scorm12", "sco-two", "strict", {4096: 0, 4097: 405}, 4096),
        # 2004: past the SPM is never an error; lenient stores it whole, strict cuts it.
        ("rt-scorm2004-settings", "plain", None, {64000: 0, 64001: 0}, 64001),
        ("rt-scorm2004-settings", "plain", "strict", {64000: 0, 64001: 0}, 64000),
    ],
    ids=["1.2-lenient", "1.2-strict", "2004-lenient", "2004-strict"],
)
def test_suspend_data_length_follows_the_course_policy(
    server: LiveServer, launch: Launch, learner: str,
    package: str, item: str, policy: str | None, lengths: dict[int, int], stored: int,
) -> None:
    course = server.course(package, policy=policy)
    player = launch(course, learner, item=item)
    api = API[player.runtime()["version"]]

    answers = player.sco.run([
        [api["initialize"], ""],
        *[[api["set_value"], "cmi.suspend_data", "x" * n] for n in lengths],
        [api["commit"], ""],
    ])

    assert player.runtime()["policy"] == (policy or "lenient")
    assert [a.error for a in answers[1:-1]] == list(lengths.values())
    player.expect_saved()
    assert len(server.sco(course, learner, item)["suspend_data"]) == stored


def test_lengths_count_characters_not_utf16_units(
    server: LiveServer, launch: Launch, learner: str
) -> None:
    """A 1.2 strict course: 4,096 emoji (8,192 UTF-16 units) fit CMIString4096."""
    course = server.course("probe-scorm12", policy="strict")
    player = launch(course, learner, item="sco-two")

    answers = player.sco.run([
        ["LMSInitialize", ""], ["LMSSetValue", "cmi.suspend_data", "\U0001F600" * 4096],
        ["LMSSetValue", "cmi.suspend_data", "\U0001F600" * 4097], ["LMSCommit", ""],
    ])

    assert answers[1:] == [Answer("true", 0), Answer("false", 405), Answer("true", 0)]
    player.expect_saved()
    assert server.sco(course, learner, "sco-two")["suspend_data"] == "\U0001F600" * 4096


# Text a SCO might keep: accents, astral characters, a line separator, markup, escapes.
ANY_TEXT = 'h\u00e9llo \U0001F600 \u2211 \u4e2d\u6587 \u2028 "q" <b>&amp;</b> \\ \t\n end'


def test_any_text_comes_back_as_it_was_set(on2004: Learner) -> None:
    on2004.finish("plain", [
        ["SetValue", "cmi.suspend_data", ANY_TEXT], ["SetValue", "cmi.location", ANY_TEXT],
        ["SetValue", "cmi.exit", "suspend"],
    ])

    assert on2004.reopen("plain", [
        ["GetValue", "cmi.suspend_data"], ["GetValue", "cmi.location"],
    ]) == [Answer(ANY_TEXT, 0), Answer(ANY_TEXT, 0)]


# endregion
