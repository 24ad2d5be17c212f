"""Termination behavior (SN book 4.7 and Appendix C, TB.2.1 - TB.2.3)."""

from __future__ import annotations

from dataclasses import dataclass

from scorm_player.sequencing.context import Context, TermResult
from scorm_player.sequencing.objectives import end_course_attempt, forget_written, local
from scorm_player.sequencing.rollup import overall_rollup
from scorm_player.sequencing.tree import Activity
from scorm_player.sequencing.utility import (
    EXIT_ACTIONS,
    POST_ACTIONS,
    end_attempt,
    sequencing_rules_check,
    terminate_descendent_attempts,
)


@dataclass(frozen=True)
class PostCondition:
    """What the Sequencing Post Condition Rules Subprocess asks for."""

    termination: str | None = None  # exitParent | exitAll
    sequencing: str | None = None  # retry | continue | previous


def sequencing_exit_action_rules(ctx: Context) -> None:
    """TB.2.1 Sequencing Exit Action Rules Subprocess: an ancestor's exit rule fires."""
    current = ctx.current
    if current is None or current.parent is None:
        return
    path = list(reversed(current.parent.path_to_root()))  # step 1: root .. parent
    exit_target = None  # step 2
    for activity in path:  # step 3
        if sequencing_rules_check(ctx, activity, "exit", EXIT_ACTIONS) is not None:
            exit_target = activity  # step 3.2
            break
    if exit_target is not None:  # step 4
        terminate_descendent_attempts(ctx, exit_target)
        end_attempt(ctx, exit_target)
        ctx.current = exit_target


def sequencing_post_condition_rules(ctx: Context) -> PostCondition:
    """TB.2.2 Sequencing Post Condition Rules Subprocess."""
    current = ctx.current
    if current is None or ctx.s(current).is_suspended:  # step 1
        return PostCondition()
    action = sequencing_rules_check(ctx, current, "post", POST_ACTIONS)  # step 2
    if action in ("retry", "continue", "previous"):  # step 3.1
        return PostCondition(sequencing=action)
    if action in ("exitParent", "exitAll"):  # step 3.2
        return PostCondition(termination=action)
    if action == "retryAll":  # step 3.3
        return PostCondition(termination="exitAll", sequencing="retry")
    return PostCondition()  # step 4


def termination_request_process(ctx: Context, request: str) -> TermResult:
    """TB.2.3 Termination Request Process."""
    current = ctx.current
    if current is None:  # step 1
        return TermResult(False, exception="TB.2.3-1")
    if request in ("exit", "abandon") and not ctx.s(current).is_active:  # step 2
        return TermResult(False, exception="TB.2.3-2")
    match request:
        case "exit":  # step 3
            return _exit(ctx)
        case "exitAll":  # step 4
            return _exit_all(ctx)
        case "suspendAll":  # step 5
            return _suspend_all(ctx)
        case "abandon":  # step 6
            _forget_abandoned(ctx, current)
            ctx.s(current).is_active = False
            return TermResult(True)
        case "abandonAll":  # step 7
            path = current.path_to_root()
            if not path:
                return TermResult(False, exception="TB.2.3-6")
            _forget_abandoned(ctx, current)
            for activity in path:
                ctx.s(activity).is_active = False
            ctx.current = ctx.tree.root
            return TermResult(True, sequencing="exit")
    return TermResult(False, exception="TB.2.3-7")  # step 8


def _exit(ctx: Context) -> TermResult:
    """TB.2.3 step 3: end the attempt, then exit and post-condition rules."""
    end_attempt(ctx, ctx.current)  # step 3.1  # type: ignore[arg-type]
    sequencing_exit_action_rules(ctx)  # step 3.2
    while True:  # step 3.3
        post = sequencing_post_condition_rules(ctx)  # step 3.3.2
        current = ctx.current
        assert current is not None
        if post.termination == "exitAll":  # step 3.3.3: continue as Exit All
            return _exit_all(ctx, post.sequencing)
        if post.termination == "exitParent":  # step 3.3.4
            if current.parent is None:
                return TermResult(False, exception="TB.2.3-4")
            ctx.current = current.parent
            end_attempt(ctx, current.parent)
            continue  # processed exit: evaluate the parent's post conditions
        if current.is_root and post.sequencing != "retry":  # step 3.3.5
            return TermResult(True, sequencing="exit")
        if current.is_root:  # the root is retried: a new attempt on the course
            end_course_attempt(ctx)
        return TermResult(True, sequencing=post.sequencing)  # step 3.4


def _exit_all(ctx: Context, then: str | None = None) -> TermResult:
    """TB.2.3 step 4. ``then`` is ``retry`` when a retryAll post condition led here."""
    current = ctx.current
    assert current is not None
    if ctx.s(current).is_active:  # step 4.1
        end_attempt(ctx, current)
    root = ctx.tree.root
    terminate_descendent_attempts(ctx, root)  # step 4.2
    end_attempt(ctx, root)  # step 4.3
    ctx.current = root  # step 4.4
    if then == "retry":  # retryAll: a new attempt on the course
        end_course_attempt(ctx)
    return TermResult(True, sequencing=then or "exit")  # step 4.5


def _forget_abandoned(ctx: Context, activity: Activity) -> None:
    """An abandoned attempt leaves no status behind: its completion and its primary
    objective's status and measure become unknown, and so do the shared objectives it wrote
    them to. TB.2.3 only makes the activity inactive, with no End Attempt; ADL's Sample RTE
    also ignores what the content reported in the abandoned attempt, including commits made
    before the abandon (the CTS SX-04a/b rules must not see them)."""
    ctx.s(activity).reset_attempt_progress()
    primary = local(ctx, activity, activity.primary_objective)
    if primary.progress_status:
        forget_written(ctx, activity.primary_objective, "write_satisfied_status")
    if primary.measure_status:
        forget_written(ctx, activity.primary_objective, "write_normalized_measure")
    primary.progress_status = primary.satisfied_status = False
    primary.measure_status, primary.normalized_measure = False, 0.0


def _suspend_all(ctx: Context) -> TermResult:
    """TB.2.3 step 5."""
    current = ctx.current
    assert current is not None
    s = ctx.s(current)
    if s.is_active or s.is_suspended:  # step 5.1
        overall_rollup(ctx, current)
        ctx.suspended = current
    elif current.parent is not None:  # step 5.2
        ctx.suspended = current.parent
    else:
        return TermResult(False, exception="TB.2.3-3")
    suspended = ctx.suspended
    assert suspended is not None
    path = suspended.path_to_root()  # step 5.3
    if not path:  # step 5.4
        return TermResult(False, exception="TB.2.3-5")
    for activity in path:  # step 5.5
        ctx.s(activity).is_active = False
        ctx.s(activity).is_suspended = True
    ctx.current = ctx.tree.root  # step 5.6
    return TermResult(True, sequencing="exit")  # step 5.7
