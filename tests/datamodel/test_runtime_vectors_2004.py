"""Every SCORM 2004 API vector of conformance-vectors.md sections B and C.

Session vectors (2.72, 2.73, C.60-C.65) need two launches and live in ``test_rules.py``.

One vector differs from the notes, because the ADL reference implementation does: 2.39
sets ``c[,]c`` as a second choice pattern and the notes expect 351; the ADL Sample RTE
``InteractionValidator`` rejects a choice value that repeats an identifier as a type
mismatch (406) before any uniqueness check. A second pattern equal to the first *as a set*
(``b[,]a`` after ``a[,]b``) is the 351 case (``test_repeated_choice_pattern_is_351``).
"""

from __future__ import annotations

import pytest

from scorm_player.datamodel import DataMap
from tests.datamodel.steps import C, E, G, I, L, S, T, Vector, play

ID = "cmi.interactions.0.id"
TYPE = "cmi.interactions.0.type"
PATTERN = "cmi.interactions.0.correct_responses.{}.pattern"
RESPONSE = "cmi.interactions.0.learner_response"
URN_4000 = "urn:adl:" + "a" * 3992


def interaction(kind: str) -> list:
    return [S(ID, "urn:ex:q1"), S(TYPE, kind)]


VECTORS_B = [
    Vector("2.01", [G("cmi.location", "", 122)], started=False),
    Vector("2.02", [S("cmi.location", "p1", "false", 132)], started=False),
    Vector("2.03", [C("", "false", 142)], started=False),
    Vector("2.04", [T("", "false", 112)], started=False),
    Vector("2.05", [I("abc", "false", 201)], started=False),
    Vector("2.06", [I("", "false", 103)]),
    Vector("2.07", [C("x", "false", 201)]),
    Vector("2.08", [C("", "true", 0)]),
    Vector("2.09", [G("cmi._version", "1.0")]),
    Vector("2.10", [S("cmi._version", "1.0", "false", 404)]),
    Vector("2.11", [G("", "", 301)]),
    Vector("2.12", [S("", "x", "false", 351)]),
    Vector("2.13", [G("cmi.core.lesson_status", "", 401)]),
    Vector("2.14", [G("cmi.completion_status", "unknown")]),
    Vector("2.15", [S("cmi.completion_status", "done", "false", 406)]),
    Vector("2.16", [S("cmi.success_status", "passed")]),
    Vector("2.17", [S("cmi.score.scaled", "1.5", "false", 407)]),
    Vector("2.18", [S("cmi.score.scaled", "-1")]),
    Vector("2.19", [S("cmi.score.scaled", "abc", "false", 406)]),
    Vector("2.20", [S("cmi.score.raw", "150")]),
    Vector("2.21", [G("cmi.score.raw", "", 403)]),
    Vector("2.22", [G("cmi.suspend_data", "", 403)]),
    Vector("2.23", [G("cmi.exit", "", 405)]),
    Vector("2.24", [G("cmi.session_time", "", 405)]),
    Vector("2.25", [S("cmi.session_time", "PT1H30M5.5S")]),
    Vector("2.26", [S("cmi.session_time", "01:30:00", "false", 406)]),
    Vector("2.27", [S("cmi.session_time", "PT", "false", 406)]),
    Vector("2.28", [S("cmi.credit", "no-credit", "false", 404)]),
    Vector("2.29", [S("cmi.exit", "normal"), S("cmi.exit", "bogus", "false", 406)]),
    Vector("2.30", [S("cmi.progress_measure", "1.1", "false", 407)]),
    Vector("2.31", [S("cmi.learner_preference.audio_level", "-1", "false", 407)]),
    Vector("2.32", [G("cmi.learner_preference.audio_level", "1")]),
    Vector("2.33", [G("cmi.interactions._count", "0"), G(ID, "", 301)]),
    Vector("2.34", [S("cmi.interactions.1.id", "q2", "false", 351)]),
    Vector("2.35", [S(TYPE, "choice", "false", 408)]),
    Vector("2.36", [S(ID, "urn:ex:q1"), G("cmi.interactions._count", "1")]),
    Vector("2.37", [S(ID, "urn:ex:q1"), S(RESPONSE, "a", "false", 408)]),
    Vector("2.38", [*interaction("choice"), S(PATTERN.format(0), "a[,]b")]),
    Vector("2.39", [
        *interaction("choice"), S(PATTERN.format(0), "a[,]b"),
        S(PATTERN.format(1), "c[,]c", "false", 406),
    ]),
    Vector("2.40", [*interaction("true-false"), S(PATTERN.format(0), "yes", "false", 406)]),
    Vector("2.41", [*interaction("numeric"), S(PATTERN.format(0), "10[:]20"), S(RESPONSE, "15")]),
    Vector("2.42", [
        *interaction("numeric"), S(PATTERN.format(0), "10[:]20"),
        S(PATTERN.format(1), "30[:]40", "false", 351),
    ]),
    Vector("2.43", [*interaction("numeric"), S(RESPONSE, "abc", "false", 406)]),
    Vector("2.44", [S(ID, "q1"), S("cmi.interactions.0.result", "wrong", "false", 406)]),
    Vector("2.45", [
        S(ID, "q1"), S("cmi.interactions.0.result", "incorrect"),
        S("cmi.interactions.0.result", "0.5"),
    ]),
    Vector("2.46", [
        S(ID, "q1"), S("cmi.interactions.0.timestamp", "2026-11-25T09:21:06"),
        S("cmi.interactions.0.timestamp", "25/11/2026", "false", 406),
    ]),
    Vector("2.47", [S("cmi.objectives.0.id", "obj1"), S("cmi.objectives.1.id", "obj1", "false", 351)]),
    Vector("2.48", [
        S("cmi.objectives.0.id", "obj1"), G("cmi.objectives._count", "1"),
        S("cmi.objectives.1.success_status", "passed", "false", 408),
    ]),
    Vector("2.49", [S("cmi.objectives.0.id", "obj1"), S("cmi.objectives.0.id", "obj9", "false", 351)]),
    Vector("2.50", [S("cmi.objectives._count", "2", "false", 404)]),
    Vector("2.51", [G("cmi.learner_id._children", "", 301)]),
    Vector("2.52", [G("cmi.score._count", "", 301)]),
    Vector("2.53", [G("cmi.objectives._version", "", 301)]),
    Vector("2.54", [S("cmi.suspend_data", "x" * 64000)]),
    Vector("2.55", [S("cmi.suspend_data", "x" * 64001)]),
    Vector("2.56", [
        S("cmi.completion_status", "incomplete"), S("cmi.progress_measure", "0.85"),
        G("cmi.completion_status", "completed"),
    ], options={"state": {"cmi.completion_threshold": "0.8"}}),
    Vector("2.57", [
        S("cmi.completion_status", "completed"), S("cmi.progress_measure", "0.5"),
        G("cmi.completion_status", "incomplete"),
    ], options={"state": {"cmi.completion_threshold": "0.8"}}),
    Vector("2.58", [
        S("cmi.completion_status", "completed"), G("cmi.completion_status", "unknown"),
    ], options={"state": {"cmi.completion_threshold": "0.8"}}),
    Vector("2.59", [
        S("cmi.score.scaled", "0.65"), S("cmi.success_status", "passed"),
        G("cmi.success_status", "failed"),
    ], options={"state": {"cmi.scaled_passing_score": "0.7"}}),
    Vector("2.60", [
        S("cmi.success_status", "passed"), G("cmi.success_status", "unknown"),
    ], options={"state": {"cmi.scaled_passing_score": "0.7"}}),
    Vector("2.61", [G("adl.nav.request", "_none_")]),
    Vector("2.62", [
        S("adl.nav.request", "{target=sco2}choice"), S("adl.nav.request", "continue"),
        S("adl.nav.request", "next", "false", 406),
    ]),
    Vector("2.63", [S("adl.nav.request_valid.continue", "true", "false", 404)]),
    Vector("2.64", [G("cmi.comments_from_lms.0.comment", "", 301)]),
    Vector("2.65", [S("cmi.comments_from_lms.0.comment", "x", "false", 404)]),
    Vector("2.66", [
        S("cmi.comments_from_learner.0.comment", "{lang=en}Great"),
        G("cmi.comments_from_learner._count", "1"),
    ]),
    Vector("2.67", [
        S("cmi.learner_preference.language", "en-US"),
        S("cmi.learner_preference.language", "12", "false", 406),
    ]),
    Vector("2.68", [S(ID, "", "false", 406)]),
    Vector("2.69", [
        S("", "x", "false", 351), E("406", "Data Model Element Type Mismatch", 351), L("351"),
    ]),
    Vector("2.70", [T(), T("", "false", 113)]),
    Vector("2.71", [
        T(), G("cmi.location", "", 123), S("cmi.location", "x", "false", 133),
        C("", "false", 143), I("", "false", 104),
    ]),
    Vector("2.74", [G("adl.data.0.store", "", 405)], options={
        "data_maps": [DataMap("urn:map:1", store="s", read_shared_data=False)],
    }),
    Vector("2.75", [G("adl.data.0.store", "", 403)], options={"data_maps": [DataMap("urn:map:1")]}),
]

VECTORS_C = [
    Vector("C.01", [L("0")], started=False),
    Vector("C.02", [C("", "false", 142)], started=False),
    Vector("C.03", [S("cmi.location", "test", "false", 132)], started=False),
    Vector("C.04", [G("cmi.location", "", 122)], started=False),
    Vector("C.05", [I("illegal", "false", 201), L("201"), L("201"), L("201")], started=False),
    Vector("C.06", [I("illegal", "false", 201), E("", "", 201)], started=False),
    Vector("C.07", [I(), I("", "false", 103)], started=False),
    Vector("C.08", [S("", "test", "false", 351)]),
    Vector("C.09", [G("", "", 301)]),
    Vector("C.10", [C("illegal", "false", 201), C("", "true", 0)]),
    Vector("C.11", [E("001", "", 0), E("1444", "", 0)]),
    Vector("C.12", [S("cmi", "illegal", "false", 401), G("cmi", "", 401)]),
    Vector("C.13", [S("cmi._version", "1.0.0", "false", 404), G("cmi._version", "1.0")]),
    Vector("C.14", [
        G("cmi.completion_threshold", "0.8"), S("cmi.completion_threshold", "test", "false", 404),
    ], options={"state": {"cmi.completion_threshold": "0.8"}}),
    Vector("C.15", [
        S("cmi.credit", "no-credit", "false", 404), S("cmi.credit", "", "false", 404),
        S("cmi.credit", "illegal_state", "false", 404),
    ]),
    Vector("C.16", [G("cmi.entry", "ab-initio")]),
    Vector("C.17", [S("cmi.exit", v) for v in ("time-out", "suspend", "normal", "")]),
    Vector("C.18", [S("cmi.exit", "illegal_state", "false", 406)]),
    Vector("C.19", [G("cmi.exit", "", 405)]),
    Vector("C.20", [G("cmi.location", "", 403)]),
    Vector("C.21", [S("cmi.location", ""), G("cmi.location", "")]),
    Vector("C.22", [S("cmi.location", "x" * 1000), G("cmi.location", "x" * 1000)]),
    Vector("C.23", [G("cmi.max_time_allowed", "", 403)]),
    Vector("C.24", [G("cmi.mode", "normal"), S("cmi.mode", "browse", "false", 404)]),
    Vector("C.25", [
        S("cmi.objectives._count", "illegal", "false", 404), G("cmi.objectives._count", "0"),
    ]),
    Vector("C.26", [S("cmi.objectives", "illegal", "false", 401), G("cmi.objectives", "", 401)]),
    Vector("C.27", [
        G("cmi.objectives.0.id", "", 301), G("cmi.objectives.0.score.raw", "", 301),
        G("cmi.objectives.0.progress_measure", "", 301),
    ]),
    Vector("C.28", [
        S("cmi.objectives.0.id", "INTID0"),
        S("cmi.objectives.0.id", "WriteOnceViolation", "false", 351),
        S("cmi.objectives.0.id", "INTID0"),
    ]),
    Vector("C.29", [
        S("cmi.objectives.0.id", "INTID0"),
        G("cmi.objectives.0.success_status", "unknown"),
        G("cmi.objectives.0.completion_status", "unknown"),
        G("cmi.objectives.0.progress_measure", "", 403),
        G("cmi.objectives.0.score.scaled", "", 403),
    ]),
    Vector("C.30", [S("cmi.objectives.0.id", "INTID0"), S("cmi.objectives.1.id", "", "false", 406)]),
    Vector("C.31", [
        S("cmi.objectives.0.id", "INTID0"), S("cmi.objectives.1.id", "MYID01"),
        S("cmi.objectives.2.id", "MYID01", "false", 351),
    ]),
    Vector("C.32", [
        S("cmi.objectives.0.id", "a"), S("cmi.objectives.1.id", "b"),
        S("cmi.objectives.2.id", "urn:", "false", 406),
        S("cmi.objectives.2.id", "urn:adl:lms Test/OBJ01", "false", 406),
        S("cmi.objectives.2.id", "urn:adl:lmsTest/OBJ01"),
    ]),
    Vector("C.33", [S("cmi.objectives.0.id", URN_4000), G("cmi.objectives.0.id", URN_4000)]),
    Vector("C.34", [
        *[S(f"cmi.objectives.{n}.id", f"o{n}") for n in range(5)],
        S("cmi.objectives.7.id", "INTID", "false", 351),
    ]),
    Vector("C.35", [
        S("cmi.objectives.0.id", "o"),
        S("cmi.objectives.0.score.scaled", "-2.0", "false", 407),
        S("cmi.objectives.0.score.scaled", "1.9", "false", 407),
    ]),
    Vector("C.36", [S("cmi.score.scaled", "1.000099999887765544", "false", 407)]),
    Vector("C.37", [S("cmi.progress_measure", "-1.0", "false", 407)]),
    Vector("C.38", [S("cmi.session_time", "P1Y6M14DT4H15M6.34S")]),
    Vector("C.39", [
        S("cmi.session_time", v, "false", 406)
        for v in ("1Y6M14DT4H15M6.34S", "P1Y6M14D4H15M6.34S", "P1Y6M14DT")
    ]),
    Vector("C.40", [S("cmi.session_time", "P01Y6M14DT4H15M6.34S")]),
    Vector("C.41", [G("cmi.total_time", "PT0H0M0S"), S("cmi.total_time", "PT2M", "false", 404)]),
    Vector("C.42", [S("adl.data.0.store", "x" * 64000), G("adl.data.0.store", "x" * 64000)],
           options={"data_maps": [DataMap("urn:map:rw")]}),
    Vector("C.43", [S("adl.data.0.store", "x", "false", 404), G("adl.data.0.store", "", 403)],
           options={"data_maps": [DataMap("urn:map:ro", write_shared_data=False)]}),
    Vector("C.44", [S("adl.data.0.store", "x"), G("adl.data.0.store", "", 405)],
           options={"data_maps": [DataMap("urn:map:wo", read_shared_data=False)]}),
    Vector("C.45", [
        S("cmi.comments_from_learner.0.comment", ""),
        S("cmi.comments_from_learner.2.comment", "x", "false", 351),
    ]),
    Vector("C.46", [S(TYPE, "fill-in", "false", 408)]),
    Vector("C.47", [S("cmi.interactions.01.timestamp", "2003-07-25T03:00:00", "false", 351)]),
    Vector("C.48", [
        S(ID, "INT1"), S(PATTERN.format(0), "a", "false", 408), S(RESPONSE, "a", "false", 408),
    ]),
    Vector("C.49", [
        S(ID, "INT1"), G(TYPE, "", 403), G("cmi.interactions.0.weighting", "", 403),
        G(PATTERN.format(0), "", 301), G("cmi.interactions.0.objectives.0.id", "", 301),
    ]),
    Vector("C.50", [S(ID, "INT1"), S(TYPE, "true", "false", 406)]),
    Vector("C.51", [
        *interaction("true-false"), S(PATTERN.format(0), "true"),
        S(PATTERN.format(1), "true", "false", 351),
    ]),
    Vector("C.52", [*interaction("choice"), S(PATTERN.format(0), "")]),
    Vector("C.53", [
        *interaction("numeric"), S(PATTERN.format(0), "1[:]2"),
        S(PATTERN.format(1), "3[:]10", "false", 351),
    ]),
    Vector("C.54", [*interaction("sequencing"), S(PATTERN.format(0), "[,]", "false", 406)]),
    Vector("C.55", [
        S(ID, "INT1"), S("cmi.interactions.0.objectives.0.id", "obj"),
        S("cmi.interactions.0.objectives.1.id", "obj", "false", 351),
    ]),
    Vector("C.56", [
        S("cmi.learner_preference.audio_level", "-1.0", "false", 407),
        S("cmi.learner_preference.audio_level", "100.0"),
    ]),
    Vector("C.57", [
        S("cmi.learner_preference.audio_captioning", "", "false", 406),
        S("cmi.learner_preference.audio_captioning", "illegal_state", "false", 406),
        S("cmi.learner_preference.audio_captioning", "-1"),
    ]),
    Vector("C.58", [G("adl.data._count", "4"), S("adl.data.8.store", "illegal", "false", 351)],
           options={"data_maps": [DataMap(f"urn:map:{n}") for n in range(4)]}),
    Vector("C.59", [
        G("adl.nav.request_valid.continue", "false"),
        G("adl.nav.request_valid.choice.{target=activity_2}", "true"),
    ], options={"nav_validity": lambda request, target: (
        "true" if (request, target) == ("choice", "activity_2") else "false"
    )}),
    Vector("C.66", [
        S("cmi.score.scaled", "-1.0"), G("cmi.success_status", "failed"),
        S("cmi.score.scaled", "1.0"), G("cmi.success_status", "passed"),
        S("cmi.score.scaled", "-0.2"), G("cmi.success_status", "passed"),
        S("cmi.score.scaled", "-0.5"), G("cmi.success_status", "passed"),
    ], options={"state": {"cmi.scaled_passing_score": "-0.5"}}),
    Vector("C.67", [
        S("cmi.completion_status", "completed"), S("cmi.success_status", "passed"),
        G("cmi.completion_status", "unknown"), G("cmi.success_status", "unknown"),
    ], options={"state": {"cmi.completion_threshold": "0.6", "cmi.scaled_passing_score": "0.6"}}),
    Vector("C.68", [
        S("cmi.progress_measure", "0.5"), S("cmi.score.scaled", "0.5"),
        S("cmi.completion_status", "completed"), S("cmi.success_status", "passed"),
        G("cmi.completion_status", "incomplete"), G("cmi.success_status", "failed"),
    ], options={"state": {"cmi.completion_threshold": "0.6", "cmi.scaled_passing_score": "0.6"}}),
    Vector("C.69", [G("cmi.scaled_passing_score", "", 403)]),
    Vector("C.70", [S("adl.nav.request", v) for v in ("exitAll", "previous", "suspendAll")]),
]

SESSION_VECTORS = {"2.72", "2.73", "C.60", "C.61", "C.62", "C.63", "C.64", "C.65"}


@pytest.mark.parametrize("vector", VECTORS_B, ids=lambda v: v.id)
def test_scorm2004_vector(vector: Vector) -> None:
    play("2004", vector)


@pytest.mark.parametrize("vector", VECTORS_C, ids=lambda v: v.id)
def test_cts_vector(vector: Vector) -> None:
    play("2004", vector)


def test_every_scorm2004_api_vector_is_covered() -> None:
    ids = {v.id for v in VECTORS_B + VECTORS_C} | SESSION_VECTORS
    expected = {f"2.{n:02d}" for n in range(1, 76)} | {f"C.{n:02d}" for n in range(1, 71)}
    assert ids == expected


def test_repeated_choice_pattern_is_351() -> None:
    play("2004", Vector("2.39b", [
        *interaction("choice"), S(PATTERN.format(0), "a[,]b"),
        S(PATTERN.format(1), "b[,]a", "false", 351), G("cmi.interactions.0.correct_responses._count", "1"),
    ]))
