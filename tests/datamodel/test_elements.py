"""Element tables: internal consistency, and the spec facts of cmi-1.2.md / cmi-2004.md."""

from __future__ import annotations

import pytest

from scorm_player.datamodel import MODEL_12, MODEL_2004, Access, DataModel

MODELS = [pytest.param(MODEL_12, id="1.2"), pytest.param(MODEL_2004, id="2004")]
RO, WO, RW = Access.READ_ONLY, Access.WRITE_ONLY, Access.READ_WRITE

# cmi-2004.md sections 3 and 4: every element of the 4th Edition model
ELEMENTS_2004 = """
cmi.comments_from_learner.n.comment cmi.comments_from_learner.n.location
cmi.comments_from_learner.n.timestamp cmi.comments_from_lms.n.comment
cmi.comments_from_lms.n.location cmi.comments_from_lms.n.timestamp cmi.completion_status
cmi.completion_threshold cmi.credit cmi.entry cmi.exit cmi.interactions.n.id
cmi.interactions.n.type cmi.interactions.n.objectives.n.id cmi.interactions.n.timestamp
cmi.interactions.n.correct_responses.n.pattern cmi.interactions.n.weighting
cmi.interactions.n.learner_response cmi.interactions.n.result cmi.interactions.n.latency
cmi.interactions.n.description cmi.launch_data cmi.learner_id cmi.learner_name
cmi.learner_preference.audio_level cmi.learner_preference.language
cmi.learner_preference.delivery_speed cmi.learner_preference.audio_captioning cmi.location
cmi.max_time_allowed cmi.mode cmi.objectives.n.id cmi.objectives.n.score.scaled
cmi.objectives.n.score.raw cmi.objectives.n.score.min cmi.objectives.n.score.max
cmi.objectives.n.success_status cmi.objectives.n.completion_status
cmi.objectives.n.progress_measure cmi.objectives.n.description cmi.progress_measure
cmi.scaled_passing_score cmi.score.scaled cmi.score.raw cmi.score.min cmi.score.max
cmi.session_time cmi.success_status cmi.suspend_data cmi.time_limit_action cmi.total_time
adl.nav.request adl.nav.request_valid.continue adl.nav.request_valid.previous
adl.nav.request_valid.choice adl.nav.request_valid.jump adl.data.n.id adl.data.n.store
""".split()

# cmi-1.2.md section 3
ELEMENTS_12 = """
cmi.core.student_id cmi.core.student_name cmi.core.lesson_location cmi.core.credit
cmi.core.lesson_status cmi.core.entry cmi.core.score.raw cmi.core.score.max
cmi.core.score.min cmi.core.total_time cmi.core.lesson_mode cmi.core.exit
cmi.core.session_time cmi.suspend_data cmi.launch_data cmi.comments cmi.comments_from_lms
cmi.objectives.n.id cmi.objectives.n.score.raw cmi.objectives.n.score.min
cmi.objectives.n.score.max cmi.objectives.n.status cmi.student_data.mastery_score
cmi.student_data.max_time_allowed cmi.student_data.time_limit_action
cmi.student_preference.audio cmi.student_preference.language cmi.student_preference.speed
cmi.student_preference.text cmi.interactions.n.id cmi.interactions.n.objectives.n.id
cmi.interactions.n.time cmi.interactions.n.type cmi.interactions.n.correct_responses.n.pattern
cmi.interactions.n.weighting cmi.interactions.n.student_response cmi.interactions.n.result
cmi.interactions.n.latency
""".split()


def test_2004_table_has_exactly_the_4th_edition_elements() -> None:
    assert sorted(MODEL_2004.elements) == sorted(ELEMENTS_2004)


def test_12_table_has_exactly_the_12_elements() -> None:
    assert sorted(MODEL_12.elements) == sorted(ELEMENTS_12)


@pytest.mark.parametrize("model", MODELS)
def test_every_element_type_is_in_the_type_table(model: DataModel) -> None:
    assert {e.type for e in model.elements.values()} <= set(model.types)


@pytest.mark.parametrize("model", MODELS)
def test_requires_and_format_by_name_elements_of_the_same_record(model: DataModel) -> None:
    for pattern, element in model.elements.items():
        for other in (*element.requires, *filter(None, [element.format_by])):
            assert other in model.elements, (pattern, other)
            record = other.rsplit(".n.", 1)[0]
            assert pattern.startswith(record), (pattern, other)


@pytest.mark.parametrize("model", MODELS)
def test_collection_and_group_children_exist(model: DataModel) -> None:
    for path, collection in model.collections.items():
        for child in collection.children:
            assert f"{path}.n.{child}" in model.nodes, (path, child)
    for path, children in model.groups.items():
        for child in children:
            assert child == "_version" or f"{path}.{child}" in model.nodes, (path, child)


@pytest.mark.parametrize("model", MODELS)
def test_every_collection_record_is_reachable(model: DataModel) -> None:
    for path in model.collections:
        assert f"{path}.n" in model.nodes


@pytest.mark.parametrize(
    ("pattern", "vocabulary"),
    [
        ("cmi.completion_status", {"completed", "incomplete", "not attempted", "unknown"}),
        ("cmi.success_status", {"passed", "failed", "unknown"}),
        ("cmi.credit", {"credit", "no-credit"}),
        ("cmi.entry", {"ab-initio", "resume", ""}),
        ("cmi.exit", {"time-out", "suspend", "logout", "normal", ""}),
        ("cmi.mode", {"browse", "normal", "review"}),
        ("cmi.time_limit_action", {"exit,message", "continue,message", "exit,no message",
                                   "continue,no message"}),
        ("cmi.learner_preference.audio_captioning", {"-1", "0", "1"}),
        ("cmi.interactions.n.type", {"true-false", "choice", "fill-in", "long-fill-in",
                                     "matching", "performance", "sequencing", "likert",
                                     "numeric", "other"}),
        ("cmi.interactions.n.result", {"correct", "incorrect", "unanticipated", "neutral"}),
        ("adl.nav.request_valid.continue", {"true", "false", "unknown"}),
    ],
)
def test_2004_vocabulary(pattern: str, vocabulary: set[str]) -> None:
    assert set(MODEL_2004.elements[pattern].vocabulary or ()) == vocabulary


@pytest.mark.parametrize(
    ("pattern", "vocabulary"),
    [
        ("cmi.core.lesson_status", {"passed", "completed", "failed", "incomplete", "browsed"}),
        ("cmi.core.exit", {"time-out", "suspend", "logout", ""}),
        ("cmi.core.credit", {"credit", "no-credit"}),
        ("cmi.core.entry", {"ab-initio", "resume", ""}),
        ("cmi.core.lesson_mode", {"browse", "normal", "review"}),
        ("cmi.objectives.n.status", {"passed", "completed", "failed", "incomplete", "browsed",
                                     "not attempted"}),
        ("cmi.interactions.n.type", {"true-false", "choice", "fill-in", "matching",
                                     "performance", "sequencing", "likert", "numeric"}),
        ("cmi.interactions.n.result", {"correct", "wrong", "unanticipated", "neutral"}),
    ],
)
def test_12_vocabulary(pattern: str, vocabulary: set[str]) -> None:
    assert set(MODEL_12.elements[pattern].vocabulary or ()) == vocabulary


@pytest.mark.parametrize(
    ("pattern", "spm"),
    [
        ("cmi.comments_from_learner.n.comment", 4000), ("cmi.comments_from_learner.n.location", 250),
        ("cmi.launch_data", 4000), ("cmi.learner_id", 4000), ("cmi.learner_name", 250),
        ("cmi.learner_preference.language", 250), ("cmi.location", 1000),
        ("cmi.suspend_data", 64000), ("cmi.interactions.n.id", 4000),
        ("cmi.interactions.n.objectives.n.id", 4000), ("cmi.interactions.n.description", 250),
        ("cmi.objectives.n.id", 4000), ("cmi.objectives.n.description", 250),
        ("adl.data.n.id", 4000), ("adl.data.n.store", 64000),
    ],
)
def test_2004_spm(pattern: str, spm: int) -> None:
    assert MODEL_2004.rule(pattern).spm == spm


@pytest.mark.parametrize(
    ("pattern", "bounds"),
    [
        ("cmi.score.scaled", (-1, 1)), ("cmi.objectives.n.score.scaled", (-1, 1)),
        ("cmi.progress_measure", (0, 1)), ("cmi.objectives.n.progress_measure", (0, 1)),
        ("cmi.completion_threshold", (0, 1)), ("cmi.scaled_passing_score", (-1, 1)),
        ("cmi.learner_preference.audio_level", (0, None)),
        ("cmi.learner_preference.delivery_speed", (0, None)), ("cmi.score.raw", None),
    ],
)
def test_2004_range(pattern: str, bounds: tuple | None) -> None:
    assert MODEL_2004.rule(pattern).range == bounds


@pytest.mark.parametrize(
    ("pattern", "bounds"),
    [
        ("cmi.core.score.raw", (0, 100)), ("cmi.objectives.n.score.max", (0, 100)),
        ("cmi.student_data.mastery_score", (0, 100)), ("cmi.student_preference.audio", (-1, 100)),
        ("cmi.student_preference.speed", (-100, 100)), ("cmi.student_preference.text", (-1, 1)),
    ],
)
def test_12_range(pattern: str, bounds: tuple) -> None:
    assert MODEL_12.rule(pattern).range == bounds


READ_ONLY_2004 = [
    "cmi.credit", "cmi.entry", "cmi.mode", "cmi.learner_id", "cmi.learner_name",
    "cmi.launch_data", "cmi.completion_threshold", "cmi.scaled_passing_score",
    "cmi.max_time_allowed", "cmi.time_limit_action", "cmi.total_time",
    "cmi.comments_from_lms.n.comment", "cmi.comments_from_lms.n.location",
    "cmi.comments_from_lms.n.timestamp", "adl.nav.request_valid.continue",
    "adl.nav.request_valid.previous", "adl.nav.request_valid.choice",
    "adl.nav.request_valid.jump", "adl.data.n.id",
]
READ_ONLY_12 = [
    "cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry",
    "cmi.core.total_time", "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms",
    "cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed",
    "cmi.student_data.time_limit_action",
]


@pytest.mark.parametrize(
    ("model", "read_only", "write_only"),
    [
        (MODEL_2004, READ_ONLY_2004, ["cmi.exit", "cmi.session_time"]),
        (MODEL_12, READ_ONLY_12, ["cmi.core.exit", "cmi.core.session_time",
                                  *[p for p in ELEMENTS_12 if p.startswith("cmi.interactions.")]]),
    ],
    ids=["2004", "1.2"],
)
def test_access(model: DataModel, read_only: list[str], write_only: list[str]) -> None:
    access = {p: e.access for p, e in model.elements.items()}
    assert sorted(p for p, a in access.items() if a is RO) == sorted(read_only)
    assert sorted(p for p, a in access.items() if a is WO) == sorted(write_only)


@pytest.mark.parametrize(
    ("pattern", "default"),
    [
        ("cmi.completion_status", "unknown"), ("cmi.success_status", "unknown"),
        ("cmi.credit", "credit"), ("cmi.entry", "ab-initio"), ("cmi.mode", "normal"),
        ("cmi.learner_preference.audio_level", "1"), ("cmi.learner_preference.language", ""),
        ("cmi.learner_preference.delivery_speed", "1"),
        ("cmi.learner_preference.audio_captioning", "0"),
        ("cmi.time_limit_action", "continue,no message"), ("cmi.total_time", "PT0H0M0S"),
        ("adl.nav.request", "_none_"), ("adl.nav.request_valid.jump", "unknown"),
        ("cmi.objectives.n.success_status", "unknown"),
        ("cmi.objectives.n.completion_status", "unknown"),
        ("cmi.location", None), ("cmi.suspend_data", None), ("cmi.score.raw", None),
        ("cmi.completion_threshold", None), ("cmi.launch_data", None),
    ],
)
def test_2004_default(pattern: str, default: str | None) -> None:
    assert MODEL_2004.elements[pattern].default == default


@pytest.mark.parametrize(
    ("path", "children"),
    [
        ("cmi.comments_from_learner", "comment,location,timestamp"),
        ("cmi.comments_from_lms", "comment,location,timestamp"),
        ("cmi.interactions", "id,type,objectives,timestamp,correct_responses,weighting,"
                             "learner_response,result,latency,description"),
        ("cmi.learner_preference", "audio_level,language,delivery_speed,audio_captioning"),
        ("cmi.objectives", "id,score,success_status,completion_status,progress_measure,description"),
        ("cmi.score", "scaled,raw,min,max"),
        ("cmi.objectives.n.score", "scaled,raw,min,max"),
        ("adl.data", "id,store"),
    ],
)
def test_2004_children(path: str, children: str) -> None:
    found = MODEL_2004.groups.get(path) or MODEL_2004.collections[path].children
    assert set(found) == set(children.split(","))


@pytest.mark.parametrize(
    ("path", "children"),
    [
        ("cmi.core", "student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
                     "total_time,lesson_mode,exit,session_time"),
        ("cmi.core.score", "raw,min,max"), ("cmi.objectives", "id,score,status"),
        ("cmi.objectives.n.score", "raw,min,max"),
        ("cmi.student_data", "mastery_score,max_time_allowed,time_limit_action"),
        ("cmi.student_preference", "audio,language,speed,text"),
        ("cmi.interactions", "id,objectives,time,type,correct_responses,weighting,"
                             "student_response,result,latency"),
    ],
)
def test_12_children_in_book_order(path: str, children: str) -> None:
    found = MODEL_12.groups.get(path) or MODEL_12.collections[path].children
    assert ",".join(found) == children


def test_2004_dependencies() -> None:
    elements = MODEL_2004.elements
    for pattern, element in elements.items():
        if pattern.startswith("cmi.interactions.n.") and pattern != "cmi.interactions.n.id":
            assert "cmi.interactions.n.id" in element.requires, pattern
        if pattern.startswith("cmi.objectives.n.") and pattern != "cmi.objectives.n.id":
            assert element.requires == ("cmi.objectives.n.id",), pattern
    for response in ("correct_responses.n.pattern", "learner_response"):
        assert "cmi.interactions.n.type" in elements[f"cmi.interactions.n.{response}"].requires
    assert elements["adl.data.n.store"].requires == ("adl.data.n.id",)


def test_2004_identifier_rules() -> None:
    elements = MODEL_2004.elements
    objective = elements["cmi.objectives.n.id"]
    assert (objective.unique, objective.write_once) == (True, True)
    assert elements["cmi.interactions.n.objectives.n.id"].unique
    assert not elements["cmi.interactions.n.id"].unique  # journaling may repeat an id


def test_versions_of_the_data_models() -> None:
    assert (MODEL_12.data_model_version, MODEL_2004.data_model_version) == ("3.4", "1.0")
