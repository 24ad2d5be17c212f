"""Local objectives and their mapping to shared (global) objectives (SN book 4.2.1.x, 3.10).

Reads are lazy: whenever a process evaluates an objective it sees ``view()``, the local
progress information with every value a read flag names replaced by the global's, known
or not. ADL's Sample RTE creates every shared objective of a course, unknown, when the
learner registers, and a read returns what is stored; the CTS depends on an unknown shared
status hiding the one End Attempt set locally (CM-13).

Writes are eager: ``write_objectives()`` copies the *known* local values to every global the
objective maps with a write flag, after run-time data arrives, after End Attempt and after
each rollup step. Untracked activities never write. The identifiers of globals whose value
changed are collected in ``Context.changed_globals`` so rollup can propagate the change to
the other activities that read them.
"""

from __future__ import annotations

import dataclasses

from scorm_player.packaging.model import MapInfo, Objective
from scorm_player.sequencing.context import Context
from scorm_player.sequencing.state import ObjectiveState
from scorm_player.sequencing.tree import Activity, objective_key

# (read flag, write flag, fields copied, known test on the source)
_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("read_satisfied_status", "write_satisfied_status", ("progress_status", "satisfied_status")),
    ("read_normalized_measure", "write_normalized_measure", ("measure_status", "normalized_measure")),
    ("read_raw_score", "write_raw_score", ("raw_score",)),
    ("read_min_score", "write_min_score", ("min_score",)),
    ("read_max_score", "write_max_score", ("max_score",)),
    ("read_completion_status", "write_completion_status", ("completion_status",)),
    ("read_progress_measure", "write_progress_measure", ("progress_measure",)),
)


#: Every value unknown: what a read of a shared objective no one has written shows. Only
#: ever read, never handed out to be changed.
_UNKNOWN = ObjectiveState()


def shared_fields(write_flag: str) -> tuple[str, ...]:
    """The progress information fields a mapInfo write flag copies to a shared objective."""
    return next(fields for _read, write, fields in _FIELDS if write == write_flag)


def _known(state: ObjectiveState, fields: tuple[str, ...]) -> bool:
    first = getattr(state, fields[0])
    return first is True if isinstance(first, bool) else first is not None


def local(ctx: Context, activity: Activity, objective: Objective) -> ObjectiveState:
    """The activity's own progress information for ``objective`` (mutable)."""
    return ctx.s(activity).objectives.setdefault(objective_key(objective), ObjectiveState())


def view(ctx: Context, activity: Activity, objective: Objective | None = None) -> ObjectiveState:
    """The objective as processes see it: local values with mapped global reads applied
    (a read replaces the local value even with an unknown one)."""
    objective = objective or activity.primary_objective
    result = dataclasses.replace(local(ctx, activity, objective))
    for info in objective.map_info:
        shared = ctx.globals.get(info.target_objective_id) or _UNKNOWN
        for read_flag, _write, fields in _FIELDS:
            if objective.satisfied_by_measure and read_flag == "read_satisfied_status":
                continue  # the measure alone decides its status (CTS OB-05b)
            if getattr(info, read_flag):
                for name in fields:
                    setattr(result, name, getattr(shared, name))
    measure_read = any(
        info.read_normalized_measure
        and (shared := ctx.globals.get(info.target_objective_id)) is not None
        and shared.measure_status
        for info in objective.map_info
    )
    if objective.satisfied_by_measure and measure_read:
        # a measure read from a shared objective decides, whatever satisfied status was read
        # with it (CTS SX-03); a local measure is judged by rollup (RB.1.2a)
        result.progress_status = True
        result.satisfied_status = result.normalized_measure >= objective.min_normalized_measure
    return result


def completion(ctx: Context, activity: Activity) -> tuple[bool, bool, bool]:
    """The activity's attempt completion as ``(known, completed)``: with
    ``completedByMeasure``, a known progress measure (its own, or read from a shared
    objective) against ``minProgressMeasure``; else a known completion status its primary
    objective reads from a shared objective (4th ed. ``adlseq:mapInfo``); else its own. The
    third value says whether it came from a shared objective."""
    s = ctx.s(activity)
    if not activity.definition.delivery_controls.tracked:  # CTS CO-05a: reads nothing
        return s.attempt_progress_status, s.attempt_completion_status, False
    threshold = activity.completion_threshold
    if threshold.completed_by_measure:  # 4th ed.: a known progress measure decides
        measure = s.attempt_completion_amount if s.attempt_completion_amount_status else None
        from_shared = False
        for info in activity.primary_objective.map_info:
            shared = ctx.globals.get(info.target_objective_id)
            if info.read_progress_measure and shared and shared.progress_measure is not None:
                measure, from_shared = shared.progress_measure, True
        if measure is None:  # the measure alone decides: without one, completion is unknown
            return False, False, False
        return True, measure >= threshold.min_progress_measure, from_shared
    for info in activity.primary_objective.map_info:
        shared = ctx.globals.get(info.target_objective_id)
        if info.read_completion_status and shared is not None:
            if shared.completion_status is not None:  # completed, incomplete, not attempted
                return True, shared.completion_status == "completed", True
    return s.attempt_progress_status, s.attempt_completion_status, False


def primary(ctx: Context, activity: Activity) -> ObjectiveState:
    """``view`` of the primary (rolled-up) objective."""
    return view(ctx, activity, activity.primary_objective)


def write_objectives(ctx: Context, activity: Activity) -> None:
    """Copy known local values to the globals mapped for writing (tracked activities only)."""
    if not activity.definition.delivery_controls.tracked:
        return
    for objective in activity.objectives:
        source = local(ctx, activity, objective)
        if objective is activity.primary_objective:
            source = _with_attempt_progress(ctx, activity, source)
        for info in objective.map_info:
            _write(ctx, source, info)


def _with_attempt_progress(
    ctx: Context, activity: Activity, source: ObjectiveState
) -> ObjectiveState:
    """The primary objective as it is written: a completion status or progress measure the
    content did not report for it is the activity's attempt's (4th ed.: the primary
    objective carries the activity's completion; CTS CO-04b writes one set by End Attempt)."""
    s = ctx.s(activity)
    result = dataclasses.replace(source)
    by_measure = activity.completion_threshold.completed_by_measure
    if (result.completion_status is None or by_measure) and s.attempt_progress_status:
        # completedByMeasure: the activity's measure decides its completion, whatever status
        # the objective was launched with (CTS CO-10: 0.3 over a threshold of 0.15 writes
        # completed over the incomplete read in)
        result.completion_status = "completed" if s.attempt_completion_status else "incomplete"
    if result.progress_measure is None and s.attempt_completion_amount_status:
        result.progress_measure = s.attempt_completion_amount
    return result


def _write(ctx: Context, source: ObjectiveState, info: MapInfo) -> None:
    target_id = info.target_objective_id
    for _read, write_flag, fields in _FIELDS:
        if not (getattr(info, write_flag) and _known(source, fields)):
            continue
        shared = ctx.globals.get(target_id)
        if shared is None:
            shared = ctx.globals[target_id] = ObjectiveState()
        for name in fields:
            value = getattr(source, name)
            if getattr(shared, name) != value:
                setattr(shared, name, value)
                ctx.changed_globals.add(target_id)


def end_course_attempt(ctx: Context) -> None:
    """Forget the course's own shared objectives when an attempt on the whole course ends.

    With ``adlseq:objectivesGlobalToSystem="false"`` the shared objectives belong to one
    attempt on the activity tree (CAM 4th Ed.), as shared data does. ADL's Sample RTE
    clears them when the root is retried and when a session ends with the root not
    suspended; the CTS expects both (RU-13d, OB-03b). Shared objectives of the learner
    across courses (the default) are never cleared. The identifiers stay, all unknown, so
    the cleared values are stored.
    """
    if ctx.tree.objectives_global_to_system:
        return
    for target_id in list(ctx.globals):
        ctx.globals[target_id] = ObjectiveState()


def forget_written(ctx: Context, objective: Objective, write_flag: str) -> None:
    """Make unknown what ``objective`` wrote to its shared objectives under ``write_flag``:
    writes carry only known values, so a status the content reports as ``unknown`` (CTS
    OB-17a for the success status, SX-11b for the completion status) or an abandoned
    attempt's status is cleared here."""
    for info in objective.map_info:
        shared = ctx.globals.get(info.target_objective_id)
        if not getattr(info, write_flag) or shared is None:
            continue
        for name in shared_fields(write_flag):
            if getattr(shared, name) != getattr(_UNKNOWN, name):
                setattr(shared, name, getattr(_UNKNOWN, name))
                ctx.changed_globals.add(info.target_objective_id)


def readers_of(ctx: Context, target_ids: set[str]) -> list[Activity]:
    """Activities with an objective that reads one of ``target_ids``, in document order."""
    return [
        a
        for a in ctx.tree
        if any(
            m.target_objective_id in target_ids
            and any(getattr(m, read) for read, _w, _f in _FIELDS)
            for o in a.objectives
            for m in o.map_info
        )
    ]
