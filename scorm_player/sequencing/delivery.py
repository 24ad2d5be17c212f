"""Delivery behavior (SN book 4.9 and Appendix C, DB.1.1, DB.2, DB.2.1)."""

from __future__ import annotations

from dataclasses import dataclass

from scorm_player.sequencing.context import Context
from scorm_player.sequencing.tree import Activity
from scorm_player.sequencing.utility import check_activity, terminate_descendent_attempts


@dataclass(frozen=True)
class DeliveryResult:
    valid: bool
    exception: str | None = None
    resumed: bool = False  # the delivered leaf resumes a suspended attempt


def delivery_request_process(ctx: Context, activity: Activity) -> DeliveryResult:
    """DB.1.1 Delivery Request Process: may ``activity`` be delivered?"""
    if not activity.is_leaf:  # step 1
        return DeliveryResult(False, "DB.1.1-1")
    path = list(reversed(activity.path_to_root()))  # step 2: root .. activity
    if not path:  # step 3
        return DeliveryResult(False, "DB.1.1-2")
    for item in path:  # step 4
        if check_activity(ctx, item):
            return DeliveryResult(False, "DB.1.1-3")
    return DeliveryResult(True)  # step 5


def content_delivery_environment_process(ctx: Context, activity: Activity) -> DeliveryResult:
    """DB.2 Content Delivery Environment Process: begin or resume the attempts, deliver."""
    current = ctx.current
    if current is not None and ctx.s(current).is_active:  # step 1
        return DeliveryResult(False, "DB.2-1")
    if activity is not ctx.suspended:  # step 2
        clear_suspended_activity(ctx, activity)
    terminate_descendent_attempts(ctx, activity)  # step 3
    resumed = ctx.s(activity).is_suspended
    for item in reversed(activity.path_to_root()):  # steps 4-5: root .. activity
        s = ctx.s(item)
        if s.is_active:
            continue
        if s.is_suspended:  # step 5.1.1: a resume keeps the attempt
            s.is_suspended = False
        else:  # step 5.1.2: a new attempt
            s.attempt_count += 1
            if s.attempt_count == 1:
                s.activity_progress_status = True
            _begin_attempt(ctx, item)
        s.is_active = True  # step 5.1.3
    ctx.current = activity  # step 6
    ctx.suspended = None  # step 7
    s = ctx.s(activity)
    s.experienced_base = (s.activity_experienced_duration, s.attempt_experienced_duration)
    return DeliveryResult(True, resumed=resumed)


def clear_suspended_activity(ctx: Context, activity: Activity) -> None:
    """DB.2.1 Clear Suspended Activity Subprocess."""
    suspended = ctx.suspended
    if suspended is not None:  # step 1
        common = ctx.tree.common_ancestor(activity, suspended)  # step 1.1
        path = suspended.path_to_root()
        path = path[: path.index(common) + 1]  # step 1.2: suspended .. common, inclusive
        for item in path:  # step 1.3
            if item.is_leaf:
                ctx.s(item).is_suspended = False
            elif not any(ctx.s(child).is_suspended for child in item.children):
                ctx.s(item).is_suspended = False
    ctx.suspended = None  # step 2


def _reset_descendants(ctx: Context, activity: Activity) -> None:
    """Forget what ``activity``'s descendants recorded, as its ``useCurrentAttempt*Info``
    say (CTS SX-05: after retryAll, the rules see only the new attempt's data)."""
    mode = activity.definition.control_mode
    for descendant in ctx.tree.preorder[activity.index + 1 :]:
        if not activity.is_ancestor_of(descendant):
            break
        ds = ctx.s(descendant)
        if ds.is_active or ds.is_suspended:
            continue
        if mode.use_current_attempt_objective_info:
            ds.reset_objectives()
        if mode.use_current_attempt_progress_info:
            ds.reset_attempt_progress()


def _begin_attempt(ctx: Context, activity: Activity) -> None:
    """Initialize the progress information of a new attempt (DB.2 step 5.1.2.3).

    The activity's own objective and attempt progress information start unknown. Inside
    the course a cluster's descendants keep theirs until they begin attempts of their own
    (CTS SX-07c/d/e: a skip rule still sees what a child reported in the cluster's previous
    attempt), while rollup leaves out a child not attempted within this attempt
    (``rollup.py``, CTS RU-04bc); a new attempt on the whole course forgets them (CTS
    SX-05). Shared (global) objectives are never cleared.
    """
    s = ctx.s(activity)
    ctx.state.attempt_ticks += 1
    s.attempt_started_tick = ctx.state.attempt_ticks
    s.reset_objectives()
    s.reset_attempt_progress()
    if activity.is_root:  # the course begins again (start after exitAll, retryAll)
        _reset_descendants(ctx, activity)
    s.attempt_absolute_duration = 0.0
    s.attempt_experienced_duration = 0.0
    s.attempt_started_at = ctx.clock() if ctx.clock is not None else None
