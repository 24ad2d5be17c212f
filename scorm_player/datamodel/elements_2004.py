"""SCORM 2004 4th Edition run-time data model: every ``cmi.*`` and ``adl.*`` element.

Sources: SCORM 2004 4th Ed. RTE 4.2 (one subsection per element, alphabetical: 4.2.1
``_version`` ... 4.2.25 ``total_time``) and the navigation/data sections for ``adl.nav.*`` and
``adl.data.*``; defaults, SPMs and dependencies as in the ADL Sample RTE
(``SCORM_2004_DM``, ``SCORM_2004_NAV_DM``), see ``docs`` notes cmi-2004.md.

Dependencies (408): every interaction and objective sub-element requires the record's
``id``; ``correct_responses.n.pattern`` and ``learner_response`` also require ``type``;
``adl.data.n.store`` requires ``adl.data.n.id``. ``objectives.n.id`` is unique within
``cmi.objectives`` and write-once; ``interactions.n.objectives.n.id`` is unique within its
interaction (351 for both).
"""

from __future__ import annotations

from dataclasses import dataclass

from scorm_player.datamodel.schema import Access, Collection, DataModel, Element
from scorm_player.datamodel.types import TYPES_2004

RO, WO, RW = Access.READ_ONLY, Access.WRITE_ONLY, Access.READ_WRITE

_RTE = "SCORM 2004 4th Ed. RTE"
_NAV = f"{_RTE}, navigation data model (adl.nav)"
_DATA = f"{_RTE}, shared data (adl.data)"

COMPLETION_STATUS = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS_STATUS = ("passed", "failed", "unknown")
INTERACTION_TYPES = (
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",
)
INTERACTION_RESULTS = ("correct", "incorrect", "unanticipated", "neutral")
TIME_LIMIT_ACTIONS = ("exit,message", "continue,message", "exit,no message", "continue,no message")
REQUEST_VALIDITY = ("true", "false", "unknown")

_INTERACTION = "cmi.interactions.n"
_NEEDS_INTERACTION = (f"{_INTERACTION}.id",)
_NEEDS_TYPE = (f"{_INTERACTION}.id", f"{_INTERACTION}.type")
_NEEDS_OBJECTIVE = ("cmi.objectives.n.id",)


def _comments(prefix: str, access: Access, section: str) -> dict[str, Element]:
    return {
        f"{prefix}.n.comment": Element("localized_string_type", access, section, spm=4000),
        f"{prefix}.n.location": Element("characterstring", access, section, spm=250),
        f"{prefix}.n.timestamp": Element("time(second,10,0)", access, section),
    }


def _score(prefix: str, section: str, requires: tuple[str, ...] = ()) -> dict[str, Element]:
    return {
        f"{prefix}.scaled": Element("real(10,7)", RW, section, range=(-1, 1), requires=requires),
        f"{prefix}.raw": Element("real(10,7)", RW, section, requires=requires),
        f"{prefix}.min": Element("real(10,7)", RW, section, requires=requires),
        f"{prefix}.max": Element("real(10,7)", RW, section, requires=requires),
    }


ELEMENTS_2004: dict[str, Element] = {
    **_comments("cmi.comments_from_learner", RW, f"{_RTE} 4.2.2"),
    **_comments("cmi.comments_from_lms", RO, f"{_RTE} 4.2.3"),
    "cmi.completion_status": Element(
        "state", RW, f"{_RTE} 4.2.4", default="unknown", vocabulary=COMPLETION_STATUS
    ),
    "cmi.completion_threshold": Element("real(10,7)", RO, f"{_RTE} 4.2.5", range=(0, 1)),
    "cmi.credit": Element(
        "state", RO, f"{_RTE} 4.2.6", default="credit", vocabulary=("credit", "no-credit")
    ),
    "cmi.entry": Element(
        "state", RO, f"{_RTE} 4.2.7", default="ab-initio", vocabulary=("ab-initio", "resume", "")
    ),
    "cmi.exit": Element(
        "state", WO, f"{_RTE} 4.2.8", default="",
        vocabulary=("time-out", "suspend", "logout", "normal", ""),
    ),
    f"{_INTERACTION}.id": Element("long_identifier_type", RW, f"{_RTE} 4.2.9", spm=4000),
    f"{_INTERACTION}.type": Element(
        "state", RW, f"{_RTE} 4.2.9", vocabulary=INTERACTION_TYPES, requires=_NEEDS_INTERACTION
    ),
    f"{_INTERACTION}.objectives.n.id": Element(
        "long_identifier_type", RW, f"{_RTE} 4.2.9", spm=4000, unique=True,
        requires=_NEEDS_INTERACTION,
    ),
    f"{_INTERACTION}.timestamp": Element(
        "time(second,10,0)", RW, f"{_RTE} 4.2.9", requires=_NEEDS_INTERACTION
    ),
    f"{_INTERACTION}.correct_responses.n.pattern": Element(
        "response_pattern", RW, f"{_RTE} 4.2.9.1", requires=_NEEDS_TYPE,
        format_by=f"{_INTERACTION}.type",
    ),
    f"{_INTERACTION}.weighting": Element(
        "real(10,7)", RW, f"{_RTE} 4.2.9", requires=_NEEDS_INTERACTION
    ),
    f"{_INTERACTION}.learner_response": Element(
        "learner_response", RW, f"{_RTE} 4.2.9.2", requires=_NEEDS_TYPE,
        format_by=f"{_INTERACTION}.type",
    ),
    f"{_INTERACTION}.result": Element(
        "real(10,7)", RW, f"{_RTE} 4.2.9", vocabulary=INTERACTION_RESULTS,
        requires=_NEEDS_INTERACTION,
    ),
    f"{_INTERACTION}.latency": Element(
        "timeinterval(second,10,2)", RW, f"{_RTE} 4.2.9", requires=_NEEDS_INTERACTION
    ),
    f"{_INTERACTION}.description": Element(
        "localized_string_type", RW, f"{_RTE} 4.2.9", spm=250, requires=_NEEDS_INTERACTION
    ),
    "cmi.launch_data": Element("characterstring", RO, f"{_RTE} 4.2.10", spm=4000),
    "cmi.learner_id": Element("long_identifier_type", RO, f"{_RTE} 4.2.11", spm=4000),
    "cmi.learner_name": Element("localized_string_type", RO, f"{_RTE} 4.2.12", spm=250),
    "cmi.learner_preference.audio_level": Element(
        "real(10,7)", RW, f"{_RTE} 4.2.13", default="1", range=(0, None)
    ),
    "cmi.learner_preference.language": Element(
        "language_type", RW, f"{_RTE} 4.2.13", default="", vocabulary=("",), spm=250
    ),
    "cmi.learner_preference.delivery_speed": Element(
        "real(10,7)", RW, f"{_RTE} 4.2.13", default="1", range=(0, None)
    ),
    "cmi.learner_preference.audio_captioning": Element(
        "state", RW, f"{_RTE} 4.2.13", default="0", vocabulary=("-1", "0", "1")
    ),
    "cmi.location": Element("characterstring", RW, f"{_RTE} 4.2.14", spm=1000),
    "cmi.max_time_allowed": Element("timeinterval(second,10,2)", RO, f"{_RTE} 4.2.15"),
    "cmi.mode": Element(
        "state", RO, f"{_RTE} 4.2.16", default="normal", vocabulary=("browse", "normal", "review")
    ),
    "cmi.objectives.n.id": Element(
        "long_identifier_type", RW, f"{_RTE} 4.2.17", spm=4000, unique=True, write_once=True
    ),
    **_score("cmi.objectives.n.score", f"{_RTE} 4.2.17", _NEEDS_OBJECTIVE),
    "cmi.objectives.n.success_status": Element(
        "state", RW, f"{_RTE} 4.2.17", default="unknown", vocabulary=SUCCESS_STATUS,
        requires=_NEEDS_OBJECTIVE,
    ),
    "cmi.objectives.n.completion_status": Element(
        "state", RW, f"{_RTE} 4.2.17", default="unknown", vocabulary=COMPLETION_STATUS,
        requires=_NEEDS_OBJECTIVE,
    ),
    "cmi.objectives.n.progress_measure": Element(
        "real(10,7)", RW, f"{_RTE} 4.2.17", range=(0, 1), requires=_NEEDS_OBJECTIVE
    ),
    "cmi.objectives.n.description": Element(
        "localized_string_type", RW, f"{_RTE} 4.2.17", spm=250, requires=_NEEDS_OBJECTIVE
    ),
    "cmi.progress_measure": Element("real(10,7)", RW, f"{_RTE} 4.2.18", range=(0, 1)),
    "cmi.scaled_passing_score": Element("real(10,7)", RO, f"{_RTE} 4.2.19", range=(-1, 1)),
    **_score("cmi.score", f"{_RTE} 4.2.20"),
    "cmi.session_time": Element("timeinterval(second,10,2)", WO, f"{_RTE} 4.2.21"),
    "cmi.success_status": Element(
        "state", RW, f"{_RTE} 4.2.22", default="unknown", vocabulary=SUCCESS_STATUS
    ),
    "cmi.suspend_data": Element("characterstring", RW, f"{_RTE} 4.2.23", spm=64000),
    "cmi.time_limit_action": Element(
        "state", RO, f"{_RTE} 4.2.24", default="continue,no message",
        vocabulary=TIME_LIMIT_ACTIONS,
    ),
    "cmi.total_time": Element(
        "timeinterval(second,10,2)", RO, f"{_RTE} 4.2.25", default="PT0H0M0S"
    ),
    "adl.nav.request": Element("nav_request", RW, _NAV, default="_none_"),
    "adl.nav.request_valid.continue": Element(
        "state", RO, _NAV, default="unknown", vocabulary=REQUEST_VALIDITY, computed=True
    ),
    "adl.nav.request_valid.previous": Element(
        "state", RO, _NAV, default="unknown", vocabulary=REQUEST_VALIDITY, computed=True
    ),
    "adl.nav.request_valid.choice": Element(
        "state", RO, _NAV, default="unknown", vocabulary=REQUEST_VALIDITY, argument="target",
        computed=True,
    ),
    "adl.nav.request_valid.jump": Element(
        "state", RO, _NAV, default="unknown", vocabulary=REQUEST_VALIDITY, argument="target",
        computed=True,
    ),
    "adl.data.n.id": Element("long_identifier_type", RO, _DATA, spm=4000, unique=True),
    "adl.data.n.store": Element(
        "characterstring", RW, _DATA, spm=64000, requires=("adl.data.n.id",)
    ),
}

@dataclass(frozen=True)
class SharedData:
    """Where the 4th Ed. shared data stores are, and how an emptied one reads. Both runtimes
    read this (the adapter through ``export_json``), so they agree on it."""

    collection: str = "adl.data"
    id: str = "id"
    store: str = "store"
    #: A store set to "" holds nothing to read: GetValue answers 403 (ADL Sample RTE; CTS
    #: DMI and DDM).
    empty_is_unset: bool = True

    @property
    def store_pattern(self) -> str:
        return f"{self.collection}.n.{self.store}"


SHARED_DATA = SharedData()

COLLECTIONS_2004: dict[str, Collection] = {
    "cmi.comments_from_learner": Collection(
        ("comment", "location", "timestamp"), 250, f"{_RTE} 4.2.2"
    ),
    "cmi.comments_from_lms": Collection(
        ("comment", "location", "timestamp"), 100, f"{_RTE} 4.2.3", appendable=False
    ),
    "cmi.interactions": Collection(
        (
            "id", "type", "objectives", "timestamp", "correct_responses", "weighting",
            "learner_response", "result", "latency", "description",
        ),
        250, f"{_RTE} 4.2.9",
    ),
    f"{_INTERACTION}.objectives": Collection(("id",), 10, f"{_RTE} 4.2.9", show_children=False),
    f"{_INTERACTION}.correct_responses": Collection(
        ("pattern",), None, f"{_RTE} 4.2.9.1", show_children=False
    ),
    "cmi.objectives": Collection(
        ("id", "score", "success_status", "completion_status", "progress_measure", "description"),
        100, f"{_RTE} 4.2.17",
    ),
    "adl.data": Collection(("id", "store"), 250, _DATA, appendable=False),
}

GROUPS_2004: dict[str, tuple[str, ...]] = {
    "cmi": (
        "_version", "comments_from_learner", "comments_from_lms", "completion_status",
        "completion_threshold", "credit", "entry", "exit", "interactions", "launch_data",
        "learner_id", "learner_name", "learner_preference", "location", "max_time_allowed",
        "mode", "objectives", "progress_measure", "scaled_passing_score", "score",
        "session_time", "success_status", "suspend_data", "time_limit_action", "total_time",
    ),
    "cmi.learner_preference": ("audio_level", "language", "delivery_speed", "audio_captioning"),
    "cmi.score": ("scaled", "raw", "min", "max"),
    "cmi.objectives.n.score": ("scaled", "raw", "min", "max"),
}

MODEL_2004 = DataModel(
    version="2004",
    data_model_version="1.0",
    namespaces=("cmi", "adl"),
    types=TYPES_2004,
    elements=ELEMENTS_2004,
    collections=COLLECTIONS_2004,
    groups=GROUPS_2004,
)
