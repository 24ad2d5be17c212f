"""Sequencing requests (SN book 4.8 and Appendix C, SB.2.5 - SB.2.13).

Each process answers with a ``SeqResult``: an activity to deliver, an instruction to end
the sequencing session, or an exception code. None of them starts an attempt: that is the
Content Delivery Environment Process (``delivery.py``).
"""

from __future__ import annotations

from scorm_player.sequencing.choice import choice_sequencing_request
from scorm_player.sequencing.context import BACKWARD, FORWARD, Context, SeqResult
from scorm_player.sequencing.flow import flow
from scorm_player.sequencing.objectives import end_course_attempt
from scorm_player.sequencing.tree import Activity


def sequencing_request_process(
    ctx: Context, request: str, target: Activity | None = None
) -> SeqResult:
    """SB.2.12 Sequencing Request Process: dispatch on the request."""
    match request:
        case "start":
            return start_sequencing_request(ctx)
        case "resumeAll":
            return resume_all_sequencing_request(ctx)
        case "exit":
            return exit_sequencing_request(ctx)
        case "retry":
            return retry_sequencing_request(ctx)
        case "continue":
            return continue_sequencing_request(ctx)
        case "previous":
            return previous_sequencing_request(ctx)
        case "choice":
            return choice_sequencing_request(ctx, target)
        case "jump":
            return jump_sequencing_request(ctx, target)
    return SeqResult(exception="SB.2.12-1")


def start_sequencing_request(ctx: Context) -> SeqResult:
    """SB.2.5 Start Sequencing Request Process."""
    if ctx.current is not None:  # step 1
        return SeqResult(exception="SB.2.5-1")
    root = ctx.tree.root
    if _course_attempt_ended(ctx):
        end_course_attempt(ctx)
    if root.is_leaf:  # step 2
        return SeqResult(delivery=root)
    found = flow(ctx, root, FORWARD, True)  # step 3
    if not found.ok:  # step 3.2
        return SeqResult(end_session=found.end_session, exception=found.exception)
    return SeqResult(delivery=found.activity)  # step 3.3


def _course_attempt_ended(ctx: Context) -> bool:
    """Whether a new session begins after an attempt on the course ended: the root was
    attempted and is neither active nor suspended (its attempt will not be resumed)."""
    s = ctx.s(ctx.tree.root)
    return s.attempt_count > 0 and not s.is_active and not s.is_suspended


def resume_all_sequencing_request(ctx: Context) -> SeqResult:
    """SB.2.6 Resume All Sequencing Request Process."""
    if ctx.current is not None:  # step 1
        return SeqResult(exception="SB.2.6-1")
    if ctx.suspended is None:  # step 2
        return SeqResult(exception="SB.2.6-2")
    return SeqResult(delivery=ctx.suspended)  # step 3


def continue_sequencing_request(ctx: Context) -> SeqResult:
    """SB.2.7 Continue Sequencing Request Process. Past the last activity: end the session."""
    return _flow_request(ctx, FORWARD, "SB.2.7")


def previous_sequencing_request(ctx: Context) -> SeqResult:
    """SB.2.8 Previous Sequencing Request Process."""
    return _flow_request(ctx, BACKWARD, "SB.2.8")


def _flow_request(ctx: Context, direction: str, process: str) -> SeqResult:
    """The common steps of SB.2.7 and SB.2.8 (``process`` names the exception codes)."""
    current = ctx.current
    if current is None:  # step 1
        return SeqResult(exception=f"{process}-1")
    if current.parent is not None and not current.parent.definition.control_mode.flow:
        return SeqResult(exception=f"{process}-2")  # step 2
    found = flow(ctx, current, direction, False)  # step 3
    if not found.ok:  # step 4
        return SeqResult(end_session=found.end_session, exception=found.exception)
    return SeqResult(delivery=found.activity)  # step 5


def retry_sequencing_request(ctx: Context) -> SeqResult:
    """SB.2.10 Retry Sequencing Request Process: a new attempt on the current activity."""
    current = ctx.current
    if current is None:  # step 1
        return SeqResult(exception="SB.2.10-1")
    s = ctx.s(current)
    if s.is_active or s.is_suspended:  # step 2
        return SeqResult(exception="SB.2.10-2")
    if not current.is_leaf:  # step 3
        found = flow(ctx, current, FORWARD, True)
        if not found.ok:  # step 3.2
            return SeqResult(exception="SB.2.10-3")
        return SeqResult(delivery=found.activity)  # step 3.3
    return SeqResult(delivery=current)  # step 4


def exit_sequencing_request(ctx: Context) -> SeqResult:
    """SB.2.11 Exit Sequencing Request Process: exiting the root ends the session."""
    current = ctx.current
    if current is None:  # step 1
        return SeqResult(exception="SB.2.11-1")
    if ctx.s(current).is_active:  # step 2
        return SeqResult(exception="SB.2.11-2")
    if current.is_root:  # step 3
        return SeqResult(end_session=True)
    return SeqResult()  # step 4


def jump_sequencing_request(ctx: Context, target: Activity | None) -> SeqResult:
    """SB.2.13 Jump Sequencing Request Process (4th ed.): deliver the target, no mode checks.

    The Navigation Request Process already checked that the target exists and is
    available; the Delivery Request Process still checks the target is a leaf and that no
    activity on its path is disabled or over its attempt limit.
    """
    if ctx.current is None:  # the session must have begun (jump comes from content)
        return SeqResult(exception="SB.2.13-1")
    if target is None:
        return SeqResult(exception="SB.2.13-2")
    return SeqResult(delivery=target)  # step 1
