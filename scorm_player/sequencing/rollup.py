"""Rollup behavior (SN book 4.6 and Appendix C, RB.1.x).

Children are always the parent's *available* children; untracked children never count.
Objective data is read through global mappings (``objectives.view``); each rolled-up value
is written back to mapped globals right away, and a global that changed triggers the rollup
of every activity that reads it (the cross-tree effect the book leaves implicit).
"""

from __future__ import annotations

import dataclasses

from scorm_player.packaging.model import RollupCondition, RollupRule
from scorm_player.sequencing.context import Context
from scorm_player.sequencing.objectives import local, primary, readers_of, write_objectives
from scorm_player.sequencing.tree import Activity
from scorm_player.sequencing.utility import (
    PRE_SKIP,
    Tri,
    evaluate_condition,
    sequencing_rules_check,
    tri_all,
    tri_any,
    tri_not,
)

SATISFIED, NOT_SATISFIED = "satisfied", "notSatisfied"
COMPLETED, INCOMPLETE = "completed", "incomplete"

# The rules an activity behaves as if it had when it defines none for an action (SN book
# 4.6.5/4.6.6; ADL Sample RTE SeqRollupRuleset). Evaluated "not" rules first: positive wins.
DEFAULT_OBJECTIVE_RULES = [
    RollupRule(NOT_SATISFIED, "all", conditions=[RollupCondition("objectiveStatusKnown")]),
    RollupRule(SATISFIED, "all", conditions=[RollupCondition("satisfied")]),
]
DEFAULT_PROGRESS_RULES = [
    RollupRule(INCOMPLETE, "all", conditions=[RollupCondition("activityProgressKnown")]),
    RollupRule(COMPLETED, "all", conditions=[RollupCondition("completed")]),
]

_MAX_PROPAGATION_ROUNDS = 8


def overall_rollup(ctx: Context, activity: Activity) -> None:
    """RB.1.5 Overall Rollup Process, then propagation through changed globals."""
    _rollup_path(ctx, activity)
    for _round in range(_MAX_PROPAGATION_ROUNDS):
        changed, ctx.changed_globals = set(ctx.changed_globals), set()
        if not changed:
            return
        for reader in readers_of(ctx, changed):
            _rollup_path(ctx, reader)


def _rollup_path(ctx: Context, activity: Activity) -> None:
    for item in activity.path_to_root():  # steps 1-3: the activity up to the root
        if not item.definition.delivery_controls.tracked:
            continue  # nothing is recorded for an untracked activity (CTS RU-10)
        before = _written(ctx, item)
        if not item.is_leaf:  # step 3.1
            measure_rollup(ctx, item)
            completion_measure_rollup(ctx, item)
        objective_rollup(ctx, item)  # step 3.2
        activity_progress_rollup(ctx, item)  # step 3.3
        if _written(ctx, item) != before:
            write_objectives(ctx, item)


def _written(ctx: Context, activity: Activity) -> tuple[object, ...]:
    """What ``write_objectives`` copies from ``activity``. Rollup writes only what it changed:
    rolling up a reader of a changed global must not write the reader's older values over
    the new ones (CTS SX-11b); what the content and End Attempt set was written then."""
    s = ctx.s(activity)
    objectives = {key: dataclasses.replace(value) for key, value in s.objectives.items()}
    return (
        objectives,
        s.attempt_progress_status,
        s.attempt_completion_status,
        s.attempt_completion_amount_status,
        s.attempt_completion_amount,
    )


def objective_rollup(ctx: Context, activity: Activity) -> None:
    """Pick the objective rollup process (SN book 4.6.5): measure, rules or default."""
    if activity.primary_objective.satisfied_by_measure:
        objective_rollup_using_measure(ctx, activity)
    elif activity.is_leaf:
        return  # rules look at children only; a leaf keeps the content's status
    elif any(r.action in (SATISFIED, NOT_SATISFIED) for r in activity.definition.rollup_rules):
        objective_rollup_using_rules(ctx, activity)
    else:
        objective_rollup_using_default(ctx, activity)


def activity_progress_rollup(ctx: Context, activity: Activity) -> None:
    """Pick the activity progress rollup process (SN book 4.6.6): measure, rules or default."""
    if activity.completion_threshold.completed_by_measure:
        activity_progress_rollup_using_measure(ctx, activity)
    elif activity.is_leaf:
        return
    elif any(r.action in (COMPLETED, INCOMPLETE) for r in activity.definition.rollup_rules):
        activity_progress_rollup_using_rules(ctx, activity)
    else:
        activity_progress_rollup_using_default(ctx, activity)


def measure_rollup(ctx: Context, activity: Activity) -> None:
    """RB.1.1a Measure Rollup Process: weighted mean of the children's primary measures.

    Tracked children whose measure is unknown still add their weight to the denominator.
    """
    total, counted, valid = 0.0, 0.0, False  # step 1
    for child in ctx.available_children(activity):  # step 3.1
        if not child.definition.delivery_controls.tracked:  # step 3.1.1 (4th ed.)
            continue
        weight = child.definition.rollup_controls.objective_measure_weight
        counted += weight  # step 3.1.1.2.1
        rolled = primary(ctx, child)
        if rolled.measure_status:  # step 3.1.1.2.2
            total += rolled.normalized_measure * weight
            valid = True
    target = local(ctx, activity, activity.primary_objective)
    if not valid or counted <= 0:  # steps 3.2, 3.3.2
        target.measure_status = False
    else:  # step 3.3.1
        target.measure_status = True
        target.normalized_measure = total / counted


def completion_measure_rollup(ctx: Context, activity: Activity) -> None:
    """RB.1.1b Completion Measure Rollup Process: weighted by ``adlcp:progressWeight``."""
    total, counted, valid = 0.0, 0.0, False  # step 1
    for child in ctx.available_children(activity):  # step 2
        if not child.definition.delivery_controls.tracked:  # step 2.1
            continue
        weight = child.completion_threshold.progress_weight
        counted += weight  # step 2.1.1
        cs = ctx.s(child)
        if cs.attempt_completion_amount_status:  # step 2.1.2
            total += cs.attempt_completion_amount * weight
            valid = True
    s = ctx.s(activity)
    if not valid or counted <= 0:  # steps 3, 4.2
        s.attempt_completion_amount_status = False
    else:  # step 4.1
        s.attempt_completion_amount_status = True
        s.attempt_completion_amount = total / counted


def objective_rollup_using_measure(ctx: Context, activity: Activity) -> None:
    """RB.1.2a Objective Rollup Using Measure Process."""
    objective = activity.primary_objective  # steps 1-2
    rolled = primary(ctx, activity)
    target = local(ctx, activity, objective)
    if not rolled.measure_status:  # step 3.1.1
        target.progress_status = False
        return
    active = ctx.s(activity).is_active
    if_active = activity.definition.rollup_considerations.measure_satisfaction_if_active
    if not active or if_active:  # step 3.1.2.1
        target.progress_status = True
        target.satisfied_status = rolled.normalized_measure >= objective.min_normalized_measure
    else:  # step 3.1.2.2
        target.progress_status = False


def objective_rollup_using_rules(
    ctx: Context, activity: Activity, rules: list[RollupRule] | None = None
) -> None:
    """RB.1.2b Objective Rollup Using Rules Process: not satisfied first, satisfied wins."""
    decided = _rules_decide(ctx, activity, rules, NOT_SATISFIED, SATISFIED)  # steps 2.1-2.4
    if decided is not None:
        target = local(ctx, activity, activity.primary_objective)  # step 1
        target.progress_status = True
        target.satisfied_status = decided


def _rules_decide(
    ctx: Context,
    activity: Activity,
    rules: list[RollupRule] | None,
    negative: str,
    positive: str,
) -> bool | None:
    """Run the ``negative`` then the ``positive`` rules: True/False if one fired, the later
    one winning; None when neither fired (the status is left as it is)."""
    rules = activity.definition.rollup_rules if rules is None else rules
    decided = False if rollup_rule_check(ctx, activity, negative, rules) else None
    return True if rollup_rule_check(ctx, activity, positive, rules) else decided


def objective_rollup_using_default(ctx: Context, activity: Activity) -> None:
    """RB.1.2c Objective Rollup Using Default Process (the default rules, SN book 4.6.5)."""
    objective_rollup_using_rules(ctx, activity, DEFAULT_OBJECTIVE_RULES)


def activity_progress_rollup_using_measure(ctx: Context, activity: Activity) -> None:
    """RB.1.3a Activity Progress Rollup Using Measure Process (``completedByMeasure``)."""
    s = ctx.s(activity)
    if not s.attempt_completion_amount_status:  # step 3.1: completion unknown
        s.attempt_progress_status = False
        s.attempt_completion_status = False
        return
    s.attempt_progress_status = True  # step 3.2
    s.attempt_completion_status = (
        s.attempt_completion_amount >= activity.completion_threshold.min_progress_measure
    )


def activity_progress_rollup_using_rules(
    ctx: Context, activity: Activity, rules: list[RollupRule] | None = None
) -> None:
    """RB.1.3b Activity Progress Rollup Using Rules Process: incomplete first, completed wins."""
    decided = _rules_decide(ctx, activity, rules, INCOMPLETE, COMPLETED)  # steps 1-4
    if decided is not None:
        s = ctx.s(activity)
        s.attempt_progress_status = True
        s.attempt_completion_status = decided


def activity_progress_rollup_using_default(ctx: Context, activity: Activity) -> None:
    """RB.1.3c Activity Progress Rollup Using Default Process (the default rules)."""
    activity_progress_rollup_using_rules(ctx, activity, DEFAULT_PROGRESS_RULES)


def rollup_rule_check(
    ctx: Context, activity: Activity, action: str, rules: list[RollupRule]
) -> bool:
    """RB.1.4 Rollup Rule Check Subprocess: does any rule with ``action`` fire?"""
    for rule in (r for r in rules if r.action == action):  # step 1.1
        bag: list[Tri] = []  # step 1.2.1
        for child in ctx.available_children(activity):  # step 1.2.2
            if not child.definition.delivery_controls.tracked:  # step 1.2.2.1 (4th ed.)
                continue
            if check_child_for_rollup(ctx, child, action):
                bag.append(evaluate_rollup_conditions(ctx, child, rule, activity))
        # No contributing child leaves "all" and "none" true (no child says otherwise), as
        # ADL's RTE decides: CTS RU-11 (every child untracked) and RU-15b (the children left
        # out by rollupConsiderations and rollupProgressCompletion) complete the cluster.
        trues = sum(1 for v in bag if v is True)
        match rule.child_activity_set:  # step 1.2.4
            case "all":
                fired = trues == len(bag)
            case "any":
                fired = trues > 0
            case "none":
                fired = all(v is False for v in bag)
            case "atLeastCount":
                fired = trues >= rule.minimum_count
            case "atLeastPercent":
                fired = bool(bag) and trues / len(bag) >= rule.minimum_percent
            case _:
                fired = False
        if fired:  # step 1.2.5
            return True
    return False  # step 2


_PROGRESS_CONDITIONS = frozenset({"completed", "activityProgressKnown", "attempted"})


def _from_an_earlier_attempt(
    ctx: Context, parent: Activity, child: Activity, condition: str
) -> bool:
    """Whether ``child`` last began an attempt before ``parent``'s current attempt did, and
    ``parent``'s ``useCurrentAttemptProgressInfo`` (progress conditions) or
    ``useCurrentAttemptObjectiveInfo`` (objective conditions) says only this attempt counts
    (CTS RU-04bc, RU-06b)."""
    mode = parent.definition.control_mode
    use_current = (
        mode.use_current_attempt_progress_info
        if condition in _PROGRESS_CONDITIONS
        else mode.use_current_attempt_objective_info
    )
    c = ctx.s(child)
    if condition not in _PROGRESS_CONDITIONS and _reads_shared_status(ctx, child):
        return False  # a status read from a shared objective belongs to no attempt
    return use_current and c.attempt_count > 0 and (
        c.attempt_started_tick < ctx.s(parent).attempt_started_tick
    )


def _reads_shared_status(ctx: Context, child: Activity) -> bool:
    """Whether ``child``'s primary objective reads a known satisfied status from a shared
    objective (``mapInfo readSatisfiedStatus``): the status is the shared objective's now,
    not what an earlier attempt recorded (golf "Simple Remediation": after the remediation
    loop's retry, tests passed before it still count towards the loop's rollup)."""
    for info in child.primary_objective.map_info:
        shared = ctx.globals.get(info.target_objective_id)
        if info.read_satisfied_status and shared is not None and shared.progress_status:
            return True
    return False


def evaluate_rollup_conditions(
    ctx: Context, child: Activity, rule: RollupRule, parent: Activity | None = None
) -> Tri:
    """RB.1.4.1 Evaluate Rollup Conditions Subprocess (combination defaults to ``any``).

    A condition on what ``child`` recorded before ``parent``'s current attempt began is
    unknown when the parent's ``useCurrentAttempt*Info`` says only this attempt counts.
    """
    bag: list[Tri] = []
    for condition in rule.conditions:  # step 2
        if parent is not None and _from_an_earlier_attempt(ctx, parent, child, condition.condition):
            bag.append(None)
            continue
        value = evaluate_condition(ctx, child, condition.condition)
        bag.append(tri_not(value) if condition.operator == "not" else value)
    if not bag:
        return None
    return tri_all(bag) if rule.condition_combination == "all" else tri_any(bag)  # step 3


def check_child_for_rollup(ctx: Context, child: Activity, action: str) -> bool:
    """RB.1.4.2 Check Child for Rollup Subprocess.

    ``rollupConsiderations`` are read from the *child*: each says when that activity is
    included in its parent's rollup (SN book 4.6.x; ADL SeqActivity ``mRequiredFor*``).
    """
    controls = child.definition.rollup_controls
    considerations = child.definition.rollup_considerations
    s = ctx.s(child)
    if action in (SATISFIED, NOT_SATISFIED):  # step 2
        if not controls.rollup_objective_satisfied:
            return False
        required = (
            considerations.required_for_satisfied
            if action == SATISFIED
            else considerations.required_for_not_satisfied
        )
    else:  # step 3
        if not controls.rollup_progress_completion:
            return False
        required = (
            considerations.required_for_completed
            if action == COMPLETED
            else considerations.required_for_incomplete
        )
    if required == "ifNotSuspended":  # steps 2.1.2 / 3.1.2
        return s.activity_progress_status and not (s.attempt_count > 0 and s.is_suspended)
    if required == "ifAttempted":  # steps 2.1.3.1 / 3.1.3.1
        return s.activity_progress_status and s.attempt_count > 0
    if required == "ifNotSkipped":  # steps 2.1.3.2 / 3.1.3.2
        return sequencing_rules_check(ctx, child, "pre", PRE_SKIP) is None
    return True
