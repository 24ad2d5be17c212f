"""The CMI state a launch hands the SCO: what the LMS supplies, new or resumed.

SCORM 1.2 (RTE 3.4): ``cmi.core.student_id``/``student_name``/``credit``/``lesson_mode``/
``entry``/``total_time``/``lesson_status``, ``cmi.launch_data`` from ``adlcp:datafromlms`` and
``cmi.student_data.*`` from ``masteryscore``/``maxtimeallowed``/``timelimitaction``.

SCORM 2004 4th Ed. (RTE 4.2): ``cmi.learner_id``/``learner_name``/``credit``/``mode``/``entry``/
``total_time``, ``cmi.launch_data`` from ``adlcp:dataFromLMS``, ``cmi.completion_threshold``
from ``adlcp:completionThreshold`` (``minProgressMeasure``), ``cmi.scaled_passing_score`` from
the primary objective's ``minNormalizedMeasure`` when ``satisfiedByMeasure``,
``cmi.max_time_allowed`` from ``attemptAbsoluteDurationLimit``, ``cmi.time_limit_action``, and
``cmi.objectives.n.id`` pre-seeded with the item's ``imsss`` objective ids.

Both: the learner's stored preferences. ``adl.data`` is not part of an attempt's state (the
stores belong to the learner); :func:`client_state` adds it for the page.

Every value the LMS supplies is checked against its element's type first: a value the SCO's
data model could not hold is left out (and logged) rather than breaking the launch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from urllib.parse import quote

from scorm_player.datamodel import CMIRuntime, DataMap, DataModelError, Version
from scorm_player.datamodel.durations import add_durations, add_timespans
from scorm_player.datamodel.rules import SESSION_ONLY, credit_for_mode
from scorm_player.packaging import Item
from scorm_player.storage.records import Learner, Preferences
from scorm_player.services.cmi_rows import NAMES, preference_values

log = logging.getLogger(__name__)

_IDS = {"1.2": "cmi.core.student_id", "2004": "cmi.learner_id"}
_NAMES = {"1.2": "cmi.core.student_name", "2004": "cmi.learner_name"}


def loadable(version: Version, element: str, value: str) -> bool:
    """Whether the data model accepts ``value`` for ``element`` as an LMS-supplied value."""
    try:
        CMIRuntime(version, {element: value})
    except DataModelError:
        return False
    return True


def decimal_text(number: float) -> str:
    """A float as a CMI decimal: no exponent, no trailing zeros (``0.8``, ``80``, ``0.00001``)."""
    text = format(Decimal(repr(number)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def learner_values(version: Version, learner: Learner, mode: str) -> dict[str, str]:
    """Who the learner is and how this launch counts (credit follows the mode)."""
    learner_id = learner.external_id
    if not loadable(version, _IDS[version], learner_id):
        learner_id = quote(learner_id, safe="-._~")  # printable ASCII and a valid URI
    name = learner.name
    if not loadable(version, _NAMES[version], name):
        name = name.lstrip("{")  # a malformed {lang=...} prefix
    names = NAMES[version]
    return {
        _IDS[version]: learner_id,
        _NAMES[version]: name,
        names.credit: credit_for_mode(mode),
        names.mode: mode,
    }


def new_attempt_state(
    version: Version, item: Item, learner: Learner, mode: str, preferences: Preferences
) -> dict[str, str]:
    """The state of a first launch (``entry`` ab-initio, no time yet)."""
    names = NAMES[version]
    state = learner_values(version, learner, mode)
    state[names.entry] = "ab-initio"
    state[names.total_time] = names.zero_time
    if version == "1.2":
        state["cmi.core.lesson_status"] = "not attempted"
    supplied = _manifest_values_12(item) if version == "1.2" else _manifest_values_2004(item)
    state.update(_checked(version, supplied, item.identifier))
    state.update(_checked(version, preference_values(version, preferences), item.identifier))
    return state


def resumed_state(
    version: Version,
    stored: Mapping[str, str],
    learner: Learner,
    mode: str,
    preferences: Preferences,
    *,
    entry: str,
    settle: bool = True,
) -> dict[str, str]:
    """A stored attempt's state for its next session.

    The per-session elements (exit, session time...) go. With ``settle``, a session that
    ended without Terminate (the page was closed) first has its ``session_time`` added to
    ``total_time``; a finished attempt (reviewed) had it added at Terminate already.
    """
    names = NAMES[version]
    state = dict(stored)
    session_time = state.get("cmi.core.session_time" if version == "1.2" else "cmi.session_time")
    if settle and session_time:
        add = add_timespans if version == "1.2" else add_durations
        state[names.total_time] = add(state.get(names.total_time, names.zero_time), session_time)
    for element in SESSION_ONLY[version]:
        state.pop(element, None)
    state.update(learner_values(version, learner, mode))
    state[names.entry] = entry
    state.update(_checked(version, preference_values(version, preferences), "preferences"))
    return state


def client_state(
    state: Mapping[str, str], data_maps: Iterable[DataMap], stores: Mapping[str, str]
) -> dict[str, str]:
    """The state the page receives: the attempt's, plus ``adl.data`` (readable stores only)."""
    values = dict(state)
    for index, data_map in enumerate(data_maps):
        values[f"adl.data.{index}.id"] = data_map.id
        if data_map.read_shared_data and data_map.id in stores:
            values[f"adl.data.{index}.store"] = stores[data_map.id]
    return values


def objective_values(state: Mapping[str, str], sequenced: Mapping[str, str]) -> dict[str, str]:
    """Sequencing's ``cmi.objectives.n.*`` values (read from shared objectives) placed on the
    indexes ``state`` seeded each objective id at; values the data model would refuse are
    left out."""
    by_id: dict[str, dict[str, str]] = {}
    for key, value in sequenced.items():
        parts = key.split(".", 3)
        if len(parts) == 4 and parts[:2] == ["cmi", "objectives"] and parts[3] != "id":
            objective_id = sequenced.get(f"cmi.objectives.{parts[2]}.id")
            if objective_id is not None:
                by_id.setdefault(objective_id, {})[parts[3]] = value
    values: dict[str, str] = {}
    for key, objective_id in state.items():
        if key.startswith("cmi.objectives.") and key.endswith(".id"):
            prefix = key[: -len("id")]
            for name, value in by_id.get(objective_id, {}).items():
                if loadable("2004", prefix + name, value):
                    values[prefix + name] = value
    return values


def usable_data_maps(item: Item, maps: Iterable[DataMap]) -> list[DataMap]:
    """The maps whose target id is a valid identifier (any other would break every launch)."""
    usable = []
    for data_map in maps:
        if loadable("2004", "adl.data.0.id", data_map.id):
            usable.append(data_map)
        else:
            log.warning("item %s: adl.data target %r is not an identifier; left out",
                        item.identifier, data_map.id[:80])
    return usable


def _manifest_values_12(item: Item) -> dict[str, str]:
    values = {"cmi.launch_data": item.data_from_lms}
    if item.mastery_score is not None:
        values["cmi.student_data.mastery_score"] = decimal_text(item.mastery_score)
    values["cmi.student_data.max_time_allowed"] = item.max_time_allowed
    values["cmi.student_data.time_limit_action"] = item.time_limit_action
    return {k: v for k, v in values.items() if v is not None}


def _manifest_values_2004(item: Item) -> dict[str, str]:
    values: dict[str, str | None] = {
        "cmi.launch_data": item.data_from_lms,
        "cmi.time_limit_action": item.time_limit_action,
    }
    if item.completion_threshold is not None:
        values["cmi.completion_threshold"] = decimal_text(
            item.completion_threshold.min_progress_measure
        )
    sequencing = item.sequencing
    if sequencing is not None:
        primary = sequencing.primary_objective
        if primary is not None and primary.satisfied_by_measure:
            values["cmi.scaled_passing_score"] = decimal_text(primary.min_normalized_measure)
        values["cmi.max_time_allowed"] = sequencing.limit_conditions.attempt_absolute_duration_limit
        ids = [o.objective_id for o in sequencing.objectives if o.objective_id]
        ids = [i for i in dict.fromkeys(ids) if loadable("2004", "cmi.objectives.0.id", i)]
        for index, objective_id in enumerate(ids):
            values[f"cmi.objectives.{index}.id"] = objective_id
    return {k: v for k, v in values.items() if v is not None}


def _checked(version: Version, values: Mapping[str, str], where: str) -> dict[str, str]:
    """``values`` without those the data model would refuse (logged)."""
    kept = {}
    for element, value in values.items():
        if loadable(version, element, value):
            kept[element] = value
        else:
            log.warning("%s: %s=%r is not a valid value; left out", where, element, value[:80])
    return kept
