"""Utility processes (SN book Appendix C, UP.x): limits, rule checks, attempt endings.

Conditions are three-valued: ``True``, ``False`` or ``None`` (unknown). ``not unknown`` is
unknown; ``all`` is false if any value is false, else unknown if any is unknown; ``any`` is
true if any value is true, else unknown if any is unknown. A rule fires only on ``True``.
"""

from __future__ import annotations

from collections.abc import Iterable

from scorm_player.datamodel.durations import HUNDREDTHS_PER_SECOND, parse_duration
from scorm_player.packaging.model import Objective, SequencingRule
from scorm_player.sequencing.context import Context
from scorm_player.sequencing.objectives import completion, local, view, write_objectives
from scorm_player.sequencing.state import ObjectiveState
from scorm_player.sequencing.tree import Activity

Tri = bool | None

PRE_SKIP = ("skip",)
PRE_DISABLED = ("disabled",)
PRE_HIDDEN = ("hiddenFromChoice",)
PRE_STOP_FORWARD = ("stopForwardTraversal",)
EXIT_ACTIONS = ("exit",)
POST_ACTIONS = ("exitParent", "exitAll", "retry", "retryAll", "continue", "previous")


def tri_not(value: Tri) -> Tri:
    return None if value is None else not value


def tri_all(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def tri_any(values: Iterable[Tri]) -> Tri:
    values = list(values)
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def evaluate_condition(
    ctx: Context,
    activity: Activity,
    condition: str,
    referenced_objective: str | None = None,
    threshold: float = 0.0,
) -> Tri:
    """One sequencing or rollup condition on ``activity`` (SN book 4.5.1 / 4.6.4 tables).

    Objective conditions read the referenced local objective (the primary one by default)
    through its global mapping. ``timeLimitExceeded`` compares the attempt's absolute
    duration so far with ``attemptAbsoluteDurationLimit`` (the one duration limit SCORM's
    manifest can declare); ``outsideAvailableTimeRange`` needs begin/end time limits, which
    SCORM's profile of ``limitConditions`` leaves out, so it never holds.
    """
    s = ctx.s(activity)
    objective = activity.objective(referenced_objective)
    if objective is None:  # dangling referencedObjective: nothing is known about it
        if condition in ("objectiveStatusKnown", "objectiveMeasureKnown"):
            return False
        if condition in ("satisfied", "objectiveMeasureGreaterThan", "objectiveMeasureLessThan"):
            return None
    o = _judged(ctx, activity, objective) if objective is not None else None
    match condition:
        case "satisfied":
            return o.satisfied_status if o.progress_status else None  # type: ignore[union-attr]
        case "objectiveStatusKnown":
            return o.progress_status  # type: ignore[union-attr]
        case "objectiveMeasureKnown":
            return o.measure_status  # type: ignore[union-attr]
        case "objectiveMeasureGreaterThan":
            return o.normalized_measure > threshold if o.measure_status else None  # type: ignore[union-attr]
        case "objectiveMeasureLessThan":
            return o.normalized_measure < threshold if o.measure_status else None  # type: ignore[union-attr]
        case "completed":
            known, completed, _shared = completion(ctx, activity)
            return completed if known else None
        case "activityProgressKnown":  # a completion read from a shared objective is known
            known, _completed, shared = completion(ctx, activity)
            return known and (shared or s.activity_progress_status)
        case "attempted":
            return s.activity_progress_status and s.attempt_count > 0
        case "attemptLimitExceeded":
            return limit_conditions_check(ctx, activity)
        case "timeLimitExceeded":
            return _over_duration_limit(activity, attempt_absolute_duration(ctx, activity))
        case "outsideAvailableTimeRange":
            return False
        case "always":
            return True
    return None  # an unknown condition token


def _judged(ctx: Context, activity: Activity, objective: Objective) -> ObjectiveState:
    """The objective a rule condition judges. An untracked activity has no objective status
    of its own to judge, so shared objectives do not give it one (CTS OB-06); its content
    still reads them at launch (OB-14b)."""
    if not activity.definition.delivery_controls.tracked:
        return local(ctx, activity, objective)
    return view(ctx, activity, objective)


def limit_conditions_check(ctx: Context, activity: Activity) -> bool:
    """UP.1 Limit Conditions Check Process: True when a limit is violated.

    Only activities about to begin a new attempt are checked (step 2). As in the ADL Sample
    RTE, any declared attempt limit, including 0, is active: ``attemptLimit="0"`` means the
    activity can never start an attempt. Of the optional steps 4-9 (SN book 4th ed.,
    SN-C-64) step 6, the attempt absolute duration limit, is enforced: it is the only one
    SCORM's ``imsss:limitConditions`` profile lets a manifest declare. The durations come
    from ``Context.clock`` (``End Attempt`` closes them); without a clock they stay 0.
    """
    s = ctx.s(activity)
    if not activity.definition.delivery_controls.tracked:  # step 1
        return False
    if s.is_active or s.is_suspended:  # step 2
        return False
    limit = activity.definition.limit_conditions.attempt_limit
    if limit is not None and s.attempt_count >= limit:  # step 3 (ADL: no progress-status guard)
        return True
    # steps 4, 5 and 7 (activity absolute/experienced, attempt experienced duration limits)
    # and 8-9 (begin/end time limits) have no attribute in SCORM's limitConditions
    if (  # step 6
        s.activity_progress_status
        and s.attempt_progress_status
        and _over_duration_limit(activity, s.attempt_absolute_duration)
    ):
        return True
    return False  # step 10


def attempt_absolute_duration(ctx: Context, activity: Activity) -> float:
    """The attempt's absolute duration in seconds, counting an attempt still under way."""
    s = ctx.s(activity)
    if s.is_active and ctx.clock is not None and s.attempt_started_at is not None:
        return max(0.0, ctx.clock() - s.attempt_started_at)
    return s.attempt_absolute_duration


def _over_duration_limit(activity: Activity, seconds: float) -> bool:
    """Whether ``seconds`` reaches the activity's ``attemptAbsoluteDurationLimit``.

    A limit that is not an ISO 8601 duration is ignored (the importer warned about it).
    """
    limit = activity.definition.limit_conditions.attempt_absolute_duration_limit
    if not limit:
        return False
    try:
        limit_seconds = parse_duration(limit) / HUNDREDTHS_PER_SECOND
    except ValueError:
        return False
    return seconds >= limit_seconds


def sequencing_rules_check(
    ctx: Context, activity: Activity, kind: str, actions: tuple[str, ...]
) -> str | None:
    """UP.2 Sequencing Rules Check Process: the action of the first rule that fires."""
    for rule in activity.definition.rules:  # step 1.1: document order
        if rule.kind == kind and rule.action in actions:
            if sequencing_rule_check(ctx, activity, rule) is True:  # step 1.2.2
                return rule.action
    return None  # step 2


def sequencing_rule_check(ctx: Context, activity: Activity, rule: SequencingRule) -> Tri:
    """UP.2.1 Sequencing Rule Check Subprocess: the rule's three-valued condition."""
    bag: list[Tri] = []
    for condition in rule.conditions:  # step 2
        value = evaluate_condition(
            ctx,
            activity,
            condition.condition,
            condition.referenced_objective,
            condition.measure_threshold,
        )
        if condition.operator == "not":  # step 2.2
            value = tri_not(value)
        bag.append(value)
    if not bag:  # step 3
        return None
    if rule.condition_combination == "any":  # step 4
        return tri_any(bag)
    return tri_all(bag)


def terminate_descendent_attempts(ctx: Context, activity: Activity) -> None:
    """UP.3 Terminate Descendent Attempts Process.

    Ends the attempts on the activities between the current activity and its common
    ancestor with ``activity``, exclusive of both.
    """
    current = ctx.current
    if current is None:
        return
    common = ctx.tree.common_ancestor(current, activity)  # step 1
    path = []
    walk = current.parent  # step 2: exclusive of the current activity
    while walk is not None and walk is not common and current is not common:
        path.append(walk)
        walk = walk.parent
    for item in path:  # step 3
        end_attempt(ctx, item)


def end_attempt(ctx: Context, activity: Activity) -> None:
    """UP.4 End Attempt Process."""
    from scorm_player.sequencing.rollup import overall_rollup
    from scorm_player.sequencing.selection import apply_selection_and_randomization

    s = ctx.s(activity)
    controls = activity.definition.delivery_controls
    if activity.is_leaf:  # step 1
        if controls.tracked and not s.is_suspended:  # steps 1.1, 1.1.1
            # A status the content reported, even as "unknown", is the content's: the CTS
            # (CM-06, CM-15) expects no retry on "progress known" after content said unknown.
            if (not controls.completion_set_by_content and not s.attempt_progress_status
                    and not s.completion_reported):
                s.attempt_progress_status = True  # step 1.1.1.1
                s.attempt_completion_status = True
            if not controls.objective_set_by_content:  # step 1.1.1.2
                primary = local(ctx, activity, activity.primary_objective)
                if not primary.progress_status and not s.success_reported:
                    primary.progress_status = True
                    primary.satisfied_status = True
    else:  # step 2
        s.is_suspended = any(ctx.s(child).is_suspended for child in activity.children)
    s.is_active = False  # step 3
    _close_durations(ctx, activity)
    write_objectives(ctx, activity)
    overall_rollup(ctx, activity)  # step 4
    if not activity.is_leaf and not s.is_suspended:
        # Selection/randomization "on each new attempt" for the next attempt: done now, while
        # the activity is neither active nor suspended (SR.1/SR.2 step 2), so that the next
        # flow into it already sees the new list.
        apply_selection_and_randomization(ctx.tree, ctx.state, activity, ctx.rng, new_attempt=True)


def check_activity(ctx: Context, activity: Activity) -> bool:
    """UP.5 Check Activity Process: True when the activity is disabled or over a limit."""
    if sequencing_rules_check(ctx, activity, "pre", PRE_DISABLED) is not None:  # step 1
        return True
    if limit_conditions_check(ctx, activity):  # step 2
        return True
    return False  # step 3


def _close_durations(ctx: Context, activity: Activity) -> None:
    """Attempt absolute duration = wall clock since the attempt began (suspensions included)."""
    s = ctx.s(activity)
    if ctx.clock is not None and s.attempt_started_at is not None:
        attempt = max(0.0, ctx.clock() - s.attempt_started_at)
        s.activity_absolute_duration += attempt - s.attempt_absolute_duration
        s.attempt_absolute_duration = attempt
