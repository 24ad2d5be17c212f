"""Navigation behavior (SN book 4.4 and Appendix C, NB.2.1).

Turns a navigation request into a termination request and a sequencing request, or
rejects it. Nothing here changes the tracking state.
"""

from __future__ import annotations

from scorm_player.sequencing.context import Context, NavResult
from scorm_player.sequencing.tree import Activity

NAVIGATION_REQUESTS = (
    "start",
    "resumeAll",
    "continue",
    "previous",
    "forward",
    "backward",
    "choice",
    "jump",
    "exit",
    "exitAll",
    "abandon",
    "abandonAll",
    "suspendAll",
)


def _invalid(code: str) -> NavResult:
    return NavResult(False, exception=code)


def navigation_request_process(
    ctx: Context, request: str, target: Activity | None = None, target_id: str | None = None
) -> NavResult:
    """NB.2.1 Navigation Request Process.

    ``target`` is the resolved activity of a choice/jump request; ``target_id`` what was
    asked for (so an unknown identifier gives NB.2.1-11 rather than a missing target).
    """
    current = ctx.current
    active = current is not None and ctx.s(current).is_active
    match request:
        case "start":  # step 1
            if current is None:
                return NavResult(True, sequencing="start")
            return _invalid("NB.2.1-1")
        case "resumeAll":  # step 2
            if current is not None:
                return _invalid("NB.2.1-1")
            if ctx.suspended is None:
                return _invalid("NB.2.1-3")
            return NavResult(True, sequencing="resumeAll")
        case "continue":  # step 3
            if current is None:
                return _invalid("NB.2.1-2")
            if current.parent is None or not current.parent.definition.control_mode.flow:
                return _invalid("NB.2.1-4")
            return NavResult(True, "exit" if active else None, "continue")
        case "previous":  # step 4
            if current is None:
                return _invalid("NB.2.1-2")
            if current.parent is None:
                return _invalid("NB.2.1-6")
            mode = current.parent.definition.control_mode
            if not mode.flow or mode.forward_only:
                return _invalid("NB.2.1-5")
            return NavResult(True, "exit" if active else None, "previous")
        case "forward" | "backward":  # step 5
            return _invalid("NB.2.1-7")
        case "choice":  # step 6
            return _choice(ctx, current, active, target)
        case "jump":  # step 12 (4th ed.)
            if target is None or not ctx.is_available(target):
                return _invalid("NB.2.1-11")
            if current is None:
                return _invalid("NB.2.1-2")
            return NavResult(True, "exit" if active else None, "jump", target)
        case "exit" | "abandon":  # steps 7, 9
            if current is None:
                return _invalid("NB.2.1-2")
            if not active:
                return _invalid("NB.2.1-12")
            return NavResult(True, request, "exit")
        case "exitAll" | "abandonAll" | "suspendAll":  # steps 8, 10, 11
            if current is None:
                return _invalid("NB.2.1-2")
            return NavResult(True, request, "exit")
    return _invalid("NB.2.1-13")  # step 13


def _choice(
    ctx: Context, current: Activity | None, active: bool, target: Activity | None
) -> NavResult:
    """NB.2.1 step 6: a choice request."""
    if target is None or not ctx.is_available(target):  # step 6.1
        return _invalid("NB.2.1-11")  # step 6.2
    parent = target.parent
    if parent is not None and not parent.definition.control_mode.choice:  # step 6.1.1
        return _invalid("NB.2.1-10")  # step 6.1.2
    if current is None:  # step 6.1.1.1
        return NavResult(True, sequencing="choice", target=target)
    if current.parent is not target.parent:  # step 6.1.1.2: not a sibling
        common = ctx.tree.common_ancestor(current, target)
        path = current.path_to_root()
        # current .. common ancestor, exclusive of the ancestor; the current activity always
        # counts (as in the ADL reference), so a cluster current activity is checked too
        path = path[: path.index(common)] or [current]
        if not path:  # step 6.1.1.2.4 (unreachable: the current activity is on the path)
            return _invalid("NB.2.1-9")
        for activity in path:  # step 6.1.1.2.3
            if ctx.s(activity).is_active and not activity.definition.control_mode.choice_exit:
                return _invalid("NB.2.1-8")
    if active and not current.definition.control_mode.choice_exit:  # step 6.1.1.3
        return _invalid("NB.2.1-8")
    return NavResult(True, "exit" if active else None, "choice", target)  # 6.1.1.3/6.1.1.4
