"""From a flat CMI state to what reports read: attempt columns, interaction and objective rows,
learner preferences, and a registration's summary.

Pure functions over ``{element: value}`` maps (the attempt's ``state``). Results are
normalised to the SCORM 2004 vocabularies whatever the version, so one report serves both:
a SCORM 1.2 ``lesson_status`` becomes a completion and a success status (``passed`` is
completed and passed, ``failed`` completed and failed, ``browsed`` incomplete), and 2004
statuses are the evaluated ones (RTE 4.2.4.1 and 4.2.22.1, :func:`rules.evaluated_values`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from scorm_player.datamodel import rules
from scorm_player.datamodel.durations import HUNDREDTHS_PER_SECOND, parse_duration, parse_timespan
from scorm_player.datamodel.errors import Version
from scorm_player.storage.records import (
    AttemptColumns,
    InteractionRow,
    ObjectiveRow,
    Preferences,
    Summary,
)

#: SCORM 1.2 lesson_status (and objectives.n.status) -> (completion, success).
STATUS_12: dict[str, tuple[str, str]] = {
    "passed": ("completed", "passed"),
    "failed": ("completed", "failed"),
    "completed": ("completed", "unknown"),
    "incomplete": ("incomplete", "unknown"),
    "browsed": ("incomplete", "unknown"),
    "not attempted": ("not attempted", "unknown"),
}


@dataclass(frozen=True)
class _Names:
    """Where each normalised column lives in a version's data model."""

    prefix: str
    location: str
    entry: str
    exit: str
    credit: str
    mode: str
    total_time: str
    zero_time: str
    score: str
    response: str
    timestamp: str


NAMES: dict[Version, _Names] = {
    "1.2": _Names(
        "cmi.core.", "cmi.core.lesson_location", "cmi.core.entry", "cmi.core.exit",
        "cmi.core.credit", "cmi.core.lesson_mode", "cmi.core.total_time", "0000:00:00.00",
        "cmi.core.score", "student_response", "time",
    ),
    "2004": _Names(
        "cmi.", "cmi.location", "cmi.entry", "cmi.exit", "cmi.credit", "cmi.mode",
        "cmi.total_time", "PT0H0M0S", "cmi.score", "learner_response", "timestamp",
    ),
}

#: Learner preference elements -> :class:`Preferences` fields. ``language`` and captions
#: (1.2 ``text``) mean the same in both versions, so they are shared.
PREFERENCES: dict[Version, dict[str, str]] = {
    "1.2": {
        "cmi.student_preference.audio": "audio",
        "cmi.student_preference.language": "language",
        "cmi.student_preference.speed": "speed",
        "cmi.student_preference.text": "audio_captioning",
    },
    "2004": {
        "cmi.learner_preference.audio_level": "audio_level",
        "cmi.learner_preference.language": "language",
        "cmi.learner_preference.delivery_speed": "delivery_speed",
        "cmi.learner_preference.audio_captioning": "audio_captioning",
    },
}

_INTERACTION = re.compile(r"cmi\.interactions\.([0-9]+)\.(.+)")
_OBJECTIVE = re.compile(r"cmi\.objectives\.([0-9]+)\.(.+)")
_LISTED = re.compile(r"(objectives|correct_responses)\.([0-9]+)\.(?:id|pattern)")


def number(text: str | None) -> float | None:
    """A CMI decimal as a float (``None`` for blank, unparsable or non-finite values)."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def seconds(version: Version, duration: str | None) -> float:
    """A 1.2 CMITimespan or a 2004 duration in seconds (0 when unreadable)."""
    if not duration:
        return 0.0
    parse = parse_timespan if version == "1.2" else parse_duration
    try:
        return parse(duration) / HUNDREDTHS_PER_SECOND
    except ValueError:
        return 0.0


def columns(version: Version, state: Mapping[str, str]) -> AttemptColumns:
    """The attempt's normalised columns."""
    names = NAMES[version]
    if version == "1.2":
        completion, success = STATUS_12.get(
            state.get("cmi.core.lesson_status", "not attempted"), ("unknown", "unknown")
        )
        scaled = progress = None
    else:
        evaluated = rules.evaluated_values(state)
        completion = evaluated["cmi.completion_status"]
        success = evaluated["cmi.success_status"]
        scaled = number(state.get("cmi.score.scaled"))
        progress = number(state.get("cmi.progress_measure"))
    total = state.get(names.total_time) or names.zero_time
    return AttemptColumns(
        completion_status=completion,
        success_status=success,
        total_time=total,
        total_seconds=seconds(version, total),
        entry=state.get(names.entry, ""),
        credit=state.get(names.credit, "credit"),
        mode=state.get(names.mode, "normal"),
        score_scaled=scaled,
        score_raw=number(state.get(f"{names.score}.raw")),
        score_min=number(state.get(f"{names.score}.min")),
        score_max=number(state.get(f"{names.score}.max")),
        progress_measure=progress,
        location=state.get(names.location),
        suspend_data=state.get("cmi.suspend_data"),
        exit=state.get(names.exit),
    )


def _records(pattern: re.Pattern[str], state: Mapping[str, str]) -> dict[int, dict[str, str]]:
    records: dict[int, dict[str, str]] = {}
    for name, value in state.items():
        match = pattern.fullmatch(name)
        if match:
            records.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return dict(sorted(records.items()))


def _listed(fields: Mapping[str, str], kind: str) -> tuple[str, ...]:
    found = []
    for name, value in fields.items():
        match = _LISTED.fullmatch(name)
        if match and match.group(1) == kind:
            found.append((int(match.group(2)), value))
    return tuple(value for _, value in sorted(found))


def interactions(version: Version, state: Mapping[str, str]) -> list[InteractionRow]:
    """``cmi.interactions.n`` as rows, in index order."""
    names = NAMES[version]
    return [
        InteractionRow(
            position=position,
            identifier=fields.get("id"),
            type=fields.get("type"),
            timestamp=fields.get(names.timestamp),
            weighting=number(fields.get("weighting")),
            learner_response=fields.get(names.response),
            result=fields.get("result"),
            latency=fields.get("latency"),
            description=fields.get("description"),
            objective_ids=_listed(fields, "objectives"),
            correct_responses=_listed(fields, "correct_responses"),
        )
        for position, fields in _records(_INTERACTION, state).items()
    ]


def objectives(version: Version, state: Mapping[str, str]) -> list[ObjectiveRow]:
    """``cmi.objectives.n`` as rows, in index order."""
    rows = []
    for position, fields in _records(_OBJECTIVE, state).items():
        if version == "1.2":
            completion, success = STATUS_12.get(
                fields.get("status", "not attempted"), ("unknown", "unknown")
            )
        else:
            completion = fields.get("completion_status", "unknown")
            success = fields.get("success_status", "unknown")
        rows.append(
            ObjectiveRow(
                position=position,
                identifier=fields.get("id"),
                completion_status=completion,
                success_status=success,
                score_scaled=number(fields.get("score.scaled")),
                score_raw=number(fields.get("score.raw")),
                score_min=number(fields.get("score.min")),
                score_max=number(fields.get("score.max")),
                progress_measure=number(fields.get("progress_measure")),
                description=fields.get("description"),
            )
        )
    return rows


def touches(changes: Iterable[Sequence[str]], prefix: str) -> bool:
    """Whether a batch sets anything under ``prefix``."""
    return any(name.startswith(prefix) for name, _ in changes)


def preference_values(version: Version, preferences: Preferences) -> dict[str, str]:
    """The learner's stored preferences as this version's elements."""
    values = {}
    for element, name in PREFERENCES[version].items():
        value = getattr(preferences, name)
        if value is not None:
            values[element] = value
    return values


def updated_preferences(
    version: Version, preferences: Preferences, changes: Iterable[Sequence[str]]
) -> Preferences:
    """``preferences`` with what a batch set (the last write of each element wins)."""
    fields = PREFERENCES[version]
    updates = {fields[name]: value for name, value in changes if name in fields}
    return replace(preferences, **updates) if updates else preferences


def summarise(
    sco_items: Sequence[str], latest: Mapping[str, AttemptColumns], total_seconds: float
) -> Summary:
    """A registration's result from the latest attempt on each SCO.

    Completed when every SCO's latest attempt is completed; failed when one failed; passed
    when every SCO was attempted, one passed and none failed (content SCOs report no success);
    the scores are the mean of the SCOs' scores; the time is all attempts' time together.
    """
    attempted = [latest[item] for item in sco_items if item in latest]
    if not attempted:
        return Summary(total_seconds=total_seconds)
    if len(attempted) == len(sco_items) and all(
        a.completion_status == "completed" for a in attempted
    ):
        completion = "completed"
    else:
        completion = "incomplete"
    successes = {a.success_status for a in attempted}
    if "failed" in successes:
        success = "failed"
    elif "passed" in successes and len(attempted) == len(sco_items):
        success = "passed"
    else:
        success = "unknown"
    return Summary(
        completion_status=completion,
        success_status=success,
        score_scaled=_mean(a.score_scaled for a in attempted),
        score_raw=_mean(a.score_raw for a in attempted),
        total_seconds=total_seconds,
    )


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
