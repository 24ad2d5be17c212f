"""Selection and randomization (SN book Appendix C, SR.1 and SR.2).

The result, the cluster's *available children*, is stored in the tracking state so that a
suspended or resumed registration sees the same selection and order.

When: the book only says the processes run while the cluster is neither active nor
suspended (step 2 of both). We run them when the registration is created (which covers
``once``: the activity has never been attempted) and again when an attempt on the cluster
ends without being suspended (``onEachNewAttempt``), so the next flow into the cluster
already sees the new list. A resumed (suspended) cluster is never re-selected.
"""

from __future__ import annotations

import random

from scorm_player.sequencing.state import TrackingState
from scorm_player.sequencing.tree import Activity, ActivityTree


def apply_selection_and_randomization(
    tree: ActivityTree,
    state: TrackingState,
    activity: Activity,
    rng: random.Random,
    *,
    new_attempt: bool = False,
) -> None:
    """SR.1 then SR.2 on ``activity``; with ``new_attempt`` only ``onEachNewAttempt`` runs."""
    controls = activity.definition.randomization
    if not new_attempt or controls.selection_timing == "onEachNewAttempt":
        select_children(tree, state, activity, rng)
    if not new_attempt or controls.randomization_timing == "onEachNewAttempt":
        randomize_children(tree, state, activity, rng)


def select_children(
    tree: ActivityTree, state: TrackingState, activity: Activity, rng: random.Random
) -> None:
    """SR.1 Select Children Process."""
    s = state.activities[activity.id]
    controls = activity.definition.randomization
    if not _may_apply(tree, state, activity, controls.selection_timing):  # steps 1-3.2
        return
    count = controls.select_count
    if count is None:  # Selection Count Status false
        return
    children = activity.children
    if count >= len(children):
        s.available_children = [c.id for c in children]
        return
    chosen = set(rng.sample(range(len(children)), count))  # step 3.2.1.2: keep document order
    s.available_children = [c.id for i, c in enumerate(children) if i in chosen]


def randomize_children(
    tree: ActivityTree, state: TrackingState, activity: Activity, rng: random.Random
) -> None:
    """SR.2 Randomize Children Process."""
    s = state.activities[activity.id]
    controls = activity.definition.randomization
    if not controls.reorder_children:
        return
    if not _may_apply(tree, state, activity, controls.randomization_timing):  # steps 1-3.2
        return
    ids = (
        list(s.available_children)
        if s.available_children is not None
        else [c.id for c in activity.children]
    )
    rng.shuffle(ids)  # step 3.2.1.1 / 3.3.1
    s.available_children = ids


def _may_apply(tree: ActivityTree, state: TrackingState, activity: Activity, timing: str) -> bool:
    """Steps 1-3 shared by SR.1 and SR.2: a cluster, not active or suspended, and the
    timing says now (``once``: before the first attempt only)."""
    s = state.activities[activity.id]
    if activity.is_leaf:  # step 1
        return False
    if s.is_suspended or s.is_active:  # step 2
        return False
    if timing == "never":  # step 3.1
        return False
    return not (timing == "once" and s.activity_progress_status)  # step 3.2.1
