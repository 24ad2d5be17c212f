"""SCORM 1.2 run-time data model: every ``cmi.*`` element (SCORM 1.2 RTE 3.4).

All optional elements are implemented, so 401 ("not implemented") only answers names outside
``cmi.``. Scores (core and objectives) are "CMIDecimal or CMIBlank" in 0-100 (the ADL 1.2
test suite rejects values outside with 405). Interaction elements are write-only journal
records; ``correct_responses.n.pattern`` and ``student_response`` follow the CMIFeedback
format of the interaction's ``type`` (:data:`responses.FEEDBACK_12`).
"""

from __future__ import annotations

from scorm_player.datamodel.schema import Access, Collection, DataModel, Element
from scorm_player.datamodel.types import TYPES_12

RO, WO, RW = Access.READ_ONLY, Access.WRITE_ONLY, Access.READ_WRITE

_RTE = "SCORM 1.2 RTE 3.4"

LESSON_STATUS = ("passed", "completed", "failed", "incomplete", "browsed")
INTERACTION_TYPES = (
    "true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert",
    "numeric",
)
INTERACTION_RESULTS = ("correct", "wrong", "unanticipated", "neutral")


def _score(prefix: str) -> dict[str, Element]:
    """``raw``/``min``/``max``: CMIDecimal or CMIBlank, 0-100."""
    return {
        f"{prefix}.{part}": Element(
            "CMIDecimal", RW, _RTE, default="", vocabulary=("",), range=(0, 100)
        )
        for part in ("raw", "min", "max")
    }


ELEMENTS_12: dict[str, Element] = {
    "cmi.core.student_id": Element("CMIIdentifier", RO, _RTE, default=""),
    "cmi.core.student_name": Element("CMIString255", RO, _RTE, default=""),
    "cmi.core.lesson_location": Element("CMIString255", RW, _RTE, default=""),
    "cmi.core.credit": Element(
        "CMIVocabulary", RO, _RTE, default="credit", vocabulary=("credit", "no-credit")
    ),
    "cmi.core.lesson_status": Element(
        "CMIVocabulary", RW, _RTE, default="not attempted", vocabulary=LESSON_STATUS,
        lms_values=("not attempted",),
    ),
    "cmi.core.entry": Element(
        "CMIVocabulary", RO, _RTE, default="ab-initio", vocabulary=("ab-initio", "resume", "")
    ),
    **_score("cmi.core.score"),
    "cmi.core.total_time": Element("CMITimespan", RO, _RTE, default="0000:00:00.00"),
    "cmi.core.lesson_mode": Element(
        "CMIVocabulary", RO, _RTE, default="normal", vocabulary=("browse", "normal", "review")
    ),
    "cmi.core.exit": Element(
        "CMIVocabulary", WO, _RTE, default="", vocabulary=("time-out", "suspend", "logout", "")
    ),
    "cmi.core.session_time": Element("CMITimespan", WO, _RTE, default="00:00:00"),
    "cmi.suspend_data": Element("CMIString4096", RW, _RTE, default=""),
    "cmi.launch_data": Element("CMIString4096", RO, _RTE, default=""),
    "cmi.comments": Element("CMIString4096", RW, _RTE, default=""),
    "cmi.comments_from_lms": Element("CMIString4096", RO, _RTE, default=""),
    "cmi.objectives.n.id": Element("CMIIdentifier", RW, _RTE, default=""),
    **_score("cmi.objectives.n.score"),
    "cmi.objectives.n.status": Element(
        "CMIVocabulary", RW, _RTE, default="not attempted",
        vocabulary=(*LESSON_STATUS, "not attempted"),
    ),
    "cmi.student_data.mastery_score": Element(
        "CMIDecimal", RO, _RTE, default="", vocabulary=("",), range=(0, 100)
    ),
    "cmi.student_data.max_time_allowed": Element(
        "CMITimespan", RO, _RTE, default="", vocabulary=("",)
    ),
    "cmi.student_data.time_limit_action": Element(
        "CMIVocabulary", RO, _RTE, default="",
        vocabulary=("exit,message", "exit,no message", "continue,message", "continue,no message", ""),
    ),
    "cmi.student_preference.audio": Element(
        "CMISInteger", RW, _RTE, default="0", range=(-1, 100)
    ),
    "cmi.student_preference.language": Element("CMIString255", RW, _RTE, default=""),
    "cmi.student_preference.speed": Element(
        "CMISInteger", RW, _RTE, default="0", range=(-100, 100)
    ),
    "cmi.student_preference.text": Element("CMISInteger", RW, _RTE, default="0", range=(-1, 1)),
    "cmi.interactions.n.id": Element("CMIIdentifier", WO, _RTE),
    "cmi.interactions.n.objectives.n.id": Element("CMIIdentifier", WO, _RTE),
    "cmi.interactions.n.time": Element("CMITime", WO, _RTE),
    "cmi.interactions.n.type": Element(
        "CMIVocabulary", WO, _RTE, vocabulary=INTERACTION_TYPES
    ),
    "cmi.interactions.n.correct_responses.n.pattern": Element(
        "CMIFeedback", WO, _RTE, format_by="cmi.interactions.n.type"
    ),
    "cmi.interactions.n.weighting": Element("CMIDecimal", WO, _RTE),
    "cmi.interactions.n.student_response": Element(
        "CMIFeedback", WO, _RTE, format_by="cmi.interactions.n.type"
    ),
    "cmi.interactions.n.result": Element(
        "CMIDecimal", WO, _RTE, vocabulary=INTERACTION_RESULTS
    ),
    "cmi.interactions.n.latency": Element("CMITimespan", WO, _RTE),
}

COLLECTIONS_12: dict[str, Collection] = {
    "cmi.objectives": Collection(("id", "score", "status"), None, _RTE),
    "cmi.interactions": Collection(
        (
            "id", "objectives", "time", "type", "correct_responses", "weighting",
            "student_response", "result", "latency",
        ),
        None, _RTE,
    ),
    "cmi.interactions.n.objectives": Collection(("id",), None, _RTE, show_children=False),
    "cmi.interactions.n.correct_responses": Collection(
        ("pattern",), None, _RTE, show_children=False
    ),
}

GROUPS_12: dict[str, tuple[str, ...]] = {
    "cmi": (
        "core", "suspend_data", "launch_data", "comments", "objectives", "student_data",
        "student_preference", "interactions",
    ),
    "cmi.core": (
        "student_id", "student_name", "lesson_location", "credit", "lesson_status", "entry",
        "score", "total_time", "lesson_mode", "exit", "session_time",
    ),
    "cmi.core.score": ("raw", "min", "max"),
    "cmi.objectives.n.score": ("raw", "min", "max"),
    "cmi.student_data": ("mastery_score", "max_time_allowed", "time_limit_action"),
    "cmi.student_preference": ("audio", "language", "speed", "text"),
}

MODEL_12 = DataModel(
    version="1.2",
    data_model_version="3.4",
    namespaces=("cmi",),
    types=TYPES_12,
    elements=ELEMENTS_12,
    collections=COLLECTIONS_12,
    groups=GROUPS_12,
)
