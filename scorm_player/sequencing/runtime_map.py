"""Between the run-time data model and the tracking model (sequencing-2004 section 2).

``apply_cmi`` maps a SCO's committed ``cmi.*`` values onto its activity:

===============================  ================================================
``cmi.completion_status``        attempt progress status / completion status
``cmi.success_status``           primary objective progress / satisfied status
``cmi.score.scaled``             primary objective measure status / measure
``cmi.score.raw|min|max``        primary objective 4th ed. scores
``cmi.progress_measure``         attempt completion amount (and objective's)
``cmi.objectives.n.*``           the local objective whose ``objectiveID`` = id; for the
                                 primary one, its success status is reported content
                                 status and its progress measure the attempt's amount
``cmi.exit``                     ``suspend``: the activity is suspended
``cmi.session_time``             experienced durations (activity and attempt)
===============================  ================================================

``unknown`` (or an empty value) makes the matching status unknown. Untracked activities
(``deliveryControls/@tracked``) record nothing but whether they are suspended, which is
activity state, not tracking status. ``objective_cmi`` goes the other way: the
``cmi.objectives.n.*`` a launch starts with, ids pre-seeded and values read from globals.
"""

from __future__ import annotations

from collections.abc import Mapping

from scorm_player.datamodel.durations import parse_duration
from scorm_player.packaging.model import Objective
from scorm_player.sequencing.context import Context
from scorm_player.sequencing.objectives import forget_written, local, view, write_objectives
from scorm_player.sequencing.rollup import overall_rollup
from scorm_player.sequencing.state import ActivityState, ObjectiveState
from scorm_player.sequencing.tree import Activity

_COMPLETION = ("completed", "incomplete", "not attempted")
#: cmi.objectives.n statuses that can be reported ``unknown``, and the write that carries each
_UNKNOWN_WRITES = (
    ("success_status", "write_satisfied_status"),
    ("completion_status", "write_completion_status"),
)


def apply_cmi(ctx: Context, activity: Activity, cmi: Mapping[str, str]) -> None:
    """Record committed run-time data on ``activity``, write globals, roll up."""
    s = ctx.s(activity)
    if "cmi.exit" in cmi:  # activity state, kept for untracked activities too (CTS OB-14b)
        s.is_suspended = cmi["cmi.exit"] == "suspend"
    if not activity.definition.delivery_controls.tracked:
        return
    for index in _objective_indexes(cmi):  # cmi.objectives.n: by objectiveID
        objective_id = cmi.get(f"cmi.objectives.{index}.id")
        objective = next((o for o in activity.objectives if o.objective_id == objective_id), None)
        if objective is not None:
            target = local(ctx, activity, objective)
            _apply_objective(target, cmi, f"cmi.objectives.{index}.")
            if objective is activity.primary_objective:  # cmi.objectives.n names it (OB-17b)
                s.success_reported = s.success_reported or _has(cmi, index, "success_status")
                if _has(cmi, index, "progress_measure"):  # the attempt's (4th ed., CO-09)
                    _completion_amount(s, cmi[f"cmi.objectives.{index}.progress_measure"])
            for element, write_flag in _UNKNOWN_WRITES:
                if cmi.get(f"cmi.objectives.{index}.{element}") == "unknown":
                    forget_written(ctx, objective, write_flag)
            if objective.satisfied_by_measure and not objective.primary and target.measure_status:
                # the measure decides (a primary objective's is rolled up: RB.1.2a)
                target.progress_status = True
                target.satisfied_status = target.normalized_measure >= objective.min_normalized_measure
    primary = local(ctx, activity, activity.primary_objective)
    _apply_objective(primary, cmi, "cmi.")
    s.success_reported = s.success_reported or "cmi.success_status" in cmi
    if "cmi.completion_status" in cmi:
        s.completion_reported = True
        value = cmi["cmi.completion_status"]
        s.attempt_progress_status = value in _COMPLETION
        s.attempt_completion_status = value == "completed"
    if "cmi.progress_measure" in cmi:
        _completion_amount(s, cmi["cmi.progress_measure"])
    if "cmi.session_time" in cmi:
        _session_time(ctx, activity, cmi["cmi.session_time"])
    write_objectives(ctx, activity)
    overall_rollup(ctx, activity)


def _apply_objective(target: ObjectiveState, cmi: Mapping[str, str], prefix: str) -> None:
    success = cmi.get(prefix + "success_status")
    if success is not None:
        target.progress_status = success in ("passed", "failed")
        target.satisfied_status = success == "passed"
    scaled = cmi.get(prefix + "score.scaled")
    if scaled is not None:
        measure = _float(scaled)
        target.measure_status = measure is not None
        target.normalized_measure = measure if measure is not None else 0.0
    for name in ("raw", "min", "max"):
        if prefix + f"score.{name}" in cmi:
            setattr(target, f"{name}_score", _float(cmi[prefix + f"score.{name}"]))
    completion = cmi.get(prefix + "completion_status")
    if completion is not None:
        target.completion_status = completion if completion in _COMPLETION else None
    if prefix + "progress_measure" in cmi:
        target.progress_measure = _float(cmi[prefix + "progress_measure"])


def objective_cmi(ctx: Context, activity: Activity) -> dict[str, str]:
    """``cmi.objectives.n.*`` for a launch: every identified objective, globals read in."""
    values: dict[str, str] = {}
    identified = [o for o in activity.objectives if o.objective_id]
    for index, objective in enumerate(identified):
        prefix = f"cmi.objectives.{index}."
        values[prefix + "id"] = objective.objective_id  # type: ignore[assignment]
        if objective.map_info:
            values.update(_read_values(ctx, activity, objective, prefix))
    return values


def _read_values(
    ctx: Context, activity: Activity, objective: Objective, prefix: str
) -> dict[str, str]:
    seen = view(ctx, activity, objective)
    values: dict[str, str] = {}
    if objective.satisfied_by_measure and seen.measure_status:  # the measure decides
        passed = seen.normalized_measure >= objective.min_normalized_measure
        values[prefix + "success_status"] = "passed" if passed else "failed"
    elif seen.progress_status:
        values[prefix + "success_status"] = "passed" if seen.satisfied_status else "failed"
    if seen.measure_status:
        values[prefix + "score.scaled"] = format(seen.normalized_measure, "g")
    for name in ("raw", "min", "max"):
        score = getattr(seen, f"{name}_score")
        if score is not None:
            values[prefix + f"score.{name}"] = format(score, "g")
    if seen.completion_status is not None:  # 4th ed.: objective completion is a boolean
        completed = seen.completion_status == "completed"  # known: completed or not (OB-06)
        values[prefix + "completion_status"] = "completed" if completed else "incomplete"
    if seen.progress_measure is not None:
        values[prefix + "progress_measure"] = format(seen.progress_measure, "g")
    return values


def _session_time(ctx: Context, activity: Activity, value: str) -> None:
    try:
        seconds = parse_duration(value) / 100
    except (ValueError, TypeError):
        return
    s = ctx.s(activity)
    activity_base, attempt_base = s.experienced_base
    s.activity_experienced_duration = activity_base + seconds
    s.attempt_experienced_duration = attempt_base + seconds


def _completion_amount(s: ActivityState, value: str) -> None:
    amount = _float(value)
    s.attempt_completion_amount_status = amount is not None
    s.attempt_completion_amount = amount if amount is not None else 0.0


def _has(cmi: Mapping[str, str], index: int, element: str) -> bool:
    return f"cmi.objectives.{index}.{element}" in cmi


def _objective_indexes(cmi: Mapping[str, str]) -> list[int]:
    indexes = set()
    for key in cmi:
        if key.startswith("cmi.objectives.") and key.endswith(".id"):
            middle = key[len("cmi.objectives.") : -len(".id")]
            if middle.isdigit():
                indexes.add(int(middle))
    return sorted(indexes)


def _float(value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None
