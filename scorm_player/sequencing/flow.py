"""Flow traversal (SN book 4.8.5 and Appendix C, SB.2.1 - SB.2.3).

Traversals walk the *available children* of each cluster, so a selected or randomized
cluster flows in its per-attempt order.
"""

from __future__ import annotations

from scorm_player.sequencing.context import BACKWARD, FORWARD, Context, Traversal
from scorm_player.sequencing.tree import Activity
from scorm_player.sequencing.utility import (
    PRE_SKIP,
    check_activity,
    sequencing_rules_check,
    terminate_descendent_attempts,
)


def position(ctx: Context, activity: Activity) -> tuple[int, ...]:
    """Sort key of ``activity`` in a pre-order walk over available children."""
    key: list[int] = []
    walk = activity
    while walk.parent is not None:
        siblings = ctx.available_children(walk.parent)
        key.append(siblings.index(walk) if walk in siblings else len(siblings) + walk.index)
        walk = walk.parent
    return tuple(reversed(key))


def is_last_in_preorder(ctx: Context, activity: Activity) -> bool:
    """Whether ``activity`` is a leaf and nothing follows it in a forward pre-order walk.

    A cluster is never the last activity: entering one whose available children are all
    deselected is SB.2.1-2, not the end of the tree.
    """
    if not activity.is_leaf:
        return False
    walk = activity
    while walk.parent is not None:
        siblings = ctx.available_children(walk.parent)
        if siblings and siblings[-1] is not walk:
            return False
        walk = walk.parent
    return True


def flow_tree_traversal(
    ctx: Context,
    activity: Activity,
    direction: str,
    consider_children: bool,
    previous_direction: str | None = None,
) -> Traversal:
    """SB.2.1 Flow Tree Traversal Subprocess: the next activity in pre-order, or why not."""
    reversed_direction = False  # step 1
    parent = activity.parent
    siblings = ctx.available_children(parent) if parent is not None else [activity]
    if previous_direction == BACKWARD and siblings and siblings[-1] is activity:  # step 2
        direction = BACKWARD
        activity = siblings[0]
        reversed_direction = True
    if direction == FORWARD:  # step 3
        if is_last_in_preorder(ctx, activity) or (activity.is_root and not consider_children):
            terminate_descendent_attempts(ctx, ctx.tree.root)  # step 3.1.1
            return Traversal(None, ok=False, end_session=True, exception="SB.2.1-1")
        if activity.is_leaf or not consider_children:  # step 3.2
            assert parent is not None
            if activity not in siblings or siblings[-1] is activity:  # step 3.2.1
                return flow_tree_traversal(ctx, parent, FORWARD, False)
            return Traversal(siblings[siblings.index(activity) + 1], direction=FORWARD)
        children = ctx.available_children(activity)  # step 3.3
        if children:
            return Traversal(children[0], direction=FORWARD)
        return Traversal(None, ok=False, exception="SB.2.1-2")
    if activity.is_root:  # step 4.1
        return Traversal(None, ok=False, exception="SB.2.1-3")
    assert parent is not None
    if activity.is_leaf or not consider_children:  # step 4.2
        # Only test forward only if we are not about to leave this forward-only cluster.
        if not reversed_direction and parent.definition.control_mode.forward_only:
            return Traversal(None, ok=False, exception="SB.2.1-4")  # step 4.2.1
        if activity not in siblings or siblings[0] is activity:  # step 4.2.2
            return flow_tree_traversal(ctx, parent, BACKWARD, False)
        return Traversal(siblings[siblings.index(activity) - 1], direction=BACKWARD)
    children = ctx.available_children(activity)  # step 4.3
    if children:
        if activity.definition.control_mode.forward_only:  # step 4.3.1.1: first, going forward
            return Traversal(children[0], direction=FORWARD)
        return Traversal(children[-1], direction=BACKWARD)
    return Traversal(None, ok=False, exception="SB.2.1-2")


def flow_activity_traversal(
    ctx: Context, activity: Activity, direction: str, previous_direction: str | None = None
) -> Traversal:
    """SB.2.2 Flow Activity Traversal Subprocess: is the candidate deliverable? (recursive)."""
    parent = activity.parent
    if parent is None or not parent.definition.control_mode.flow:  # step 1
        return Traversal(activity, ok=False, exception="SB.2.2-1")
    if sequencing_rules_check(ctx, activity, "pre", PRE_SKIP) is not None:  # steps 2-3: skipped
        nxt = flow_tree_traversal(ctx, activity, direction, False, previous_direction)
        if nxt.activity is None:  # step 3.2
            return Traversal(
                activity, ok=False, end_session=nxt.end_session, exception=nxt.exception
            )
        if previous_direction == BACKWARD and nxt.direction == BACKWARD:  # step 3.3.1
            return flow_activity_traversal(ctx, nxt.activity, BACKWARD, None)
        return flow_activity_traversal(ctx, nxt.activity, direction, previous_direction)
    if check_activity(ctx, activity):  # steps 4-5
        return Traversal(activity, ok=False, exception="SB.2.2-2")
    if not activity.is_leaf:  # step 6: enter the cluster
        nxt = flow_tree_traversal(ctx, activity, direction, True)
        if nxt.activity is None:  # step 6.2
            return Traversal(
                activity, ok=False, end_session=nxt.end_session, exception=nxt.exception
            )
        if direction == BACKWARD and nxt.direction == FORWARD:  # step 6.3.1: forward-only
            return flow_activity_traversal(ctx, nxt.activity, FORWARD, BACKWARD)
        return flow_activity_traversal(ctx, nxt.activity, direction, None)  # step 6.3.2
    return Traversal(activity, ok=True, direction=direction)  # step 7


def flow(
    ctx: Context, activity: Activity, direction: str, consider_children: bool
) -> Traversal:
    """SB.2.3 Flow Subprocess: the deliverable activity in ``direction``, or why not."""
    candidate = flow_tree_traversal(ctx, activity, direction, consider_children)  # steps 1-2
    if candidate.activity is None:  # step 3
        return Traversal(
            activity, ok=False, end_session=candidate.end_session, exception=candidate.exception
        )
    return flow_activity_traversal(ctx, candidate.activity, direction)  # steps 4-6
