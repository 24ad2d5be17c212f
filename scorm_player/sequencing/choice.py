"""Choice (SN book 4.8.6.7 and Appendix C, SB.2.4, SB.2.9, SB.2.9.1, SB.2.9.2).

The Choice Sequencing Request Process sorts the target by where it sits relative to the
current activity (itself, a sibling, a descendant, an ancestor, another branch) and checks
the control modes and ADL constrained-choice considerations on the way.
"""

from __future__ import annotations

from scorm_player.sequencing.context import BACKWARD, FORWARD, Context, SeqResult, Traversal
from scorm_player.sequencing.flow import flow, position
from scorm_player.sequencing.tree import Activity
from scorm_player.sequencing.utility import (
    PRE_HIDDEN,
    PRE_STOP_FORWARD,
    end_attempt,
    sequencing_rules_check,
    terminate_descendent_attempts,
)


def choice_activity_traversal(ctx: Context, activity: Activity, direction: str) -> Traversal:
    """SB.2.4 Choice Activity Traversal Subprocess."""
    if direction == FORWARD:  # step 1
        if sequencing_rules_check(ctx, activity, "pre", PRE_STOP_FORWARD) is not None:
            return Traversal(activity, ok=False, exception="SB.2.4-1")  # step 1.2
        return Traversal(activity)  # step 1.3
    if activity.parent is None:  # step 2.2
        return Traversal(activity, ok=False, exception="SB.2.4-3")
    if activity.parent.definition.control_mode.forward_only:  # step 2.1.1
        return Traversal(activity, ok=False, exception="SB.2.4-2")
    return Traversal(activity)  # step 2.3


def choice_sequencing_request(ctx: Context, target: Activity | None) -> SeqResult:
    """SB.2.9 Choice Sequencing Request Process."""
    if target is None:  # step 1
        return SeqResult(exception="SB.2.9-1")
    for activity in reversed(target.path_to_root()):  # steps 2-3: root to target
        if not activity.is_root and not ctx.is_available(activity):
            return SeqResult(exception="SB.2.9-2")
        if sequencing_rules_check(ctx, activity, "pre", PRE_HIDDEN) is not None:
            return SeqResult(exception="SB.2.9-3")
    parent = target.parent
    if parent is not None and not parent.definition.control_mode.choice:  # step 4
        return SeqResult(exception="SB.2.9-4")
    current = ctx.current
    common = ctx.tree.common_ancestor(current, target) if current else ctx.tree.root  # 5-6
    if current is target:  # step 7: case 1
        pass
    elif current is not None and current.parent is not None and current.parent is parent:
        exception = _sibling(ctx, current, target)  # step 8: case 2
        if exception:
            return SeqResult(exception=exception)
    elif current is None or common is current:  # step 9: case 3, a descendant
        exception = _down(ctx, common, target, FORWARD)
        if exception:
            return SeqResult(exception=exception)
    elif common is target:  # step 10: case 4, an ancestor
        exception = _up_to_ancestor(ctx, current, target)
        if exception:
            return SeqResult(exception=exception)
    else:  # step 11: case 5, another branch
        exception = _other_branch(ctx, current, target, common)
        if exception:
            return SeqResult(exception=exception)
    if target.is_leaf:  # step 12
        return SeqResult(delivery=target)
    found = flow(ctx, target, FORWARD, True)  # step 13
    if not found.ok:  # step 14: e.g. flow is false on the target cluster
        terminate_descendent_attempts(ctx, common)
        end_attempt(ctx, common)
        ctx.current = target
        return SeqResult(exception="SB.2.9-9")
    return SeqResult(delivery=found.activity)  # step 15


def _sibling(ctx: Context, current: Activity, target: Activity) -> str | None:
    """Step 8: traverse the siblings from the current activity toward the target.

    The list runs from the current activity, inclusive, to the target, exclusive (step 8.1):
    a stopForwardTraversal rule on the current activity forbids choosing any later sibling
    (CTS CM-07f), while the target itself is where the walk arrives, not a step past it.
    """
    assert current.parent is not None
    siblings = ctx.available_children(current.parent)
    start, end = siblings.index(current), siblings.index(target)
    if start < end:  # steps 8.1, 8.3
        activities, direction = siblings[start:end], FORWARD
    else:
        activities, direction = list(reversed(siblings[end + 1 : start + 1])), BACKWARD
    if not activities:  # step 8.2
        return "SB.2.9-5"
    for activity in activities:  # step 8.4
        result = choice_activity_traversal(ctx, activity, direction)
        if not result.ok:
            return result.exception
    return None


def _down(ctx: Context, common: Activity, target: Activity, direction: str) -> str | None:
    """Steps 9 / 11.6-11.9: the path from the common ancestor down to the target."""
    path = list(reversed(target.path_to_root()))
    path = path[path.index(common) : -1]  # common ancestor .. target, exclusive of target
    if not path:
        return "SB.2.9-5"
    for activity in path:
        if direction == FORWARD:
            result = choice_activity_traversal(ctx, activity, FORWARD)
            if not result.ok:
                return result.exception
        if (
            not ctx.s(activity).is_active
            and activity is not common
            and activity.definition.constrained_choice.prevent_activation
        ):
            return "SB.2.9-6"
    return None


def _up_to_ancestor(ctx: Context, current: Activity, target: Activity) -> str | None:
    """Step 10: choiceExit on the way up from the current activity to the target."""
    path = current.path_to_root()
    path = path[: path.index(target) + 1]  # current .. target, inclusive
    if not path:
        return "SB.2.9-5"
    for activity in path[:-1]:  # step 10.3: all but the last
        if not activity.definition.control_mode.choice_exit:
            return "SB.2.9-7"
    return None


def _other_branch(
    ctx: Context, current: Activity, target: Activity, common: Activity
) -> str | None:
    """Step 11: up to the common ancestor, the constrainChoice window, then down.

    The window is set by the closest *ancestor* of the current activity that constrains
    choice (step 11.4.2): the current activity's own constrainChoice does not narrow it to
    its next sibling. ADL's RTE so lets a learner in CTS CM-07d choose Activity 15 from
    Activity 13 (both constrain choice; 15 is next after their cluster, Activity 12).
    """
    path = current.path_to_root()
    path = path[: path.index(common)]  # step 11.1: exclusive of the common ancestor
    if not path:
        return "SB.2.9-5"
    constrained: Activity | None = None
    for activity in path:  # step 11.4
        if not activity.definition.control_mode.choice_exit:
            return "SB.2.9-7"
        if (
            constrained is None
            and activity is not current
            and activity.definition.constrained_choice.constrain_choice
        ):
            constrained = activity
    if constrained is not None:  # step 11.5
        forward = position(ctx, target) > position(ctx, constrained)
        consider = choice_flow(ctx, constrained, FORWARD if forward else BACKWARD)
        if (
            not consider.is_ancestor_of(target)
            and target is not consider
            and target is not constrained
        ):
            return "SB.2.9-8"
    forward = position(ctx, target) > position(ctx, current)  # step 11.8
    return _down(ctx, common, target, FORWARD if forward else BACKWARD)


def choice_flow(ctx: Context, activity: Activity, direction: str) -> Activity:
    """SB.2.9.1 Choice Flow Subprocess: the logically next/previous activity, or itself."""
    found = choice_flow_tree_traversal(ctx, activity, direction)
    return found if found is not None else activity


def choice_flow_tree_traversal(
    ctx: Context, activity: Activity, direction: str
) -> Activity | None:
    """SB.2.9.2 Choice Flow Tree Traversal Subprocess (siblings, then up the tree)."""
    parent = activity.parent
    if parent is None:  # steps 1.1 / 2.1: nothing beyond the root
        return None
    siblings = ctx.available_children(parent)
    if activity not in siblings:
        return None
    index = siblings.index(activity)
    if direction == FORWARD:
        if index == len(siblings) - 1:  # step 1.2
            return choice_flow_tree_traversal(ctx, parent, FORWARD)
        return siblings[index + 1]  # step 1.3
    if index == 0:  # step 2.2
        return choice_flow_tree_traversal(ctx, parent, BACKWARD)
    return siblings[index - 1]  # step 2.3
