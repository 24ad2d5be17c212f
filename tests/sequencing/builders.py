"""Small activity trees for the sequencing tests, built from the packaging model."""

from __future__ import annotations

import random
from typing import Any

from scorm_player.packaging.model import (
    CompletionThreshold,
    ConstrainedChoiceConsiderations,
    ControlMode,
    DeliveryControls,
    LimitConditions,
    MapInfo,
    Objective,
    Organization,
    RandomizationControls,
    RollupCondition,
    RollupConsiderations,
    RollupControls,
    RollupRule,
    RuleCondition,
    SequencingDefinition,
    SequencingRule,
)
from scorm_player.sequencing.engine import Sequencer
from scorm_player.sequencing.state import ObjectiveState
from scorm_player.sequencing.tree import ActivityTree
from scorm_player.packaging.model import Item


def sd(
    *,
    flow: bool = False,
    choice: bool = True,
    choice_exit: bool = True,
    forward_only: bool = False,
    rules: list[SequencingRule] | None = None,
    attempt_limit: int | None = None,
    duration_limit: str | None = None,
    rollup_rules: list[RollupRule] | None = None,
    objectives: list[Objective] | None = None,
    tracked: bool = True,
    completion_set_by_content: bool = False,
    objective_set_by_content: bool = False,
    prevent_activation: bool = False,
    constrain_choice: bool = False,
    weight: float = 1.0,
    rollup_satisfied: bool = True,
    rollup_completion: bool = True,
    considerations: RollupConsiderations | None = None,
    randomization: RandomizationControls | None = None,
    use_current_objective: bool = True,
    use_current_progress: bool = True,
) -> SequencingDefinition:
    """A sequencing definition with keyword overrides of the schema defaults."""
    return SequencingDefinition(
        control_mode=ControlMode(
            choice=choice,
            choice_exit=choice_exit,
            flow=flow,
            forward_only=forward_only,
            use_current_attempt_objective_info=use_current_objective,
            use_current_attempt_progress_info=use_current_progress,
        ),
        rules=rules or [],
        limit_conditions=LimitConditions(attempt_limit, duration_limit),
        rollup_rules=rollup_rules or [],
        rollup_controls=RollupControls(rollup_satisfied, rollup_completion, weight),
        rollup_considerations=considerations or RollupConsiderations(),
        objectives=objectives or [],
        randomization=randomization or RandomizationControls(),
        delivery_controls=DeliveryControls(
            tracked, completion_set_by_content, objective_set_by_content
        ),
        constrained_choice=ConstrainedChoiceConsiderations(prevent_activation, constrain_choice),
    )


def cond(
    condition: str, operator: str = "noOp", objective: str | None = None, threshold: float = 0.0
) -> RuleCondition:
    return RuleCondition(condition, operator, objective, threshold)


def rule(kind: str, action: str, *conditions: RuleCondition, combination: str = "all"):
    return SequencingRule(kind, action, combination, list(conditions))


def rollup(
    action: str,
    *conditions: str,
    child_set: str = "all",
    count: int = 0,
    percent: float = 0.0,
    combination: str = "any",
) -> RollupRule:
    """A rollup rule; a condition written ``"not satisfied"`` uses the not operator."""
    parsed = [
        RollupCondition(c.split()[1], "not") if c.startswith("not ") else RollupCondition(c)
        for c in conditions
    ]
    return RollupRule(action, child_set, count, percent, combination, parsed)


def objective(
    objective_id: str | None = None,
    *,
    primary: bool = False,
    by_measure: bool = False,
    min_measure: float = 1.0,
    maps: list[MapInfo] | None = None,
) -> Objective:
    return Objective(objective_id, primary, by_measure, min_measure, maps or [])


def item(
    identifier: str,
    *children: Item,
    seq: SequencingDefinition | None = None,
    visible: bool = True,
    threshold: CompletionThreshold | None = None,
) -> Item:
    leaf = not children
    return Item(
        identifier=identifier,
        title=identifier.upper(),
        is_visible=visible,
        launch_url=f"{identifier}.html" if leaf else None,
        scorm_type="sco" if leaf else None,
        children=list(children),
        sequencing=seq,
        completion_threshold=threshold,
    )


def tree(*items: Item, seq: SequencingDefinition | None = None, **org: Any) -> ActivityTree:
    organization = Organization(identifier="org", title="Course", items=list(items), **org)
    organization.sequencing = seq
    return ActivityTree.from_organization(organization)


def sequencer(
    activity_tree: ActivityTree,
    global_objectives: dict[str, ObjectiveState] | None = None,
    seed: int = 1,
) -> Sequencer:
    return Sequencer(activity_tree, None, global_objectives, rng=random.Random(seed))


PASSED = {"cmi.completion_status": "completed", "cmi.success_status": "passed"}
FAILED = {"cmi.completion_status": "completed", "cmi.success_status": "failed"}
INCOMPLETE = {"cmi.completion_status": "incomplete"}


def flow_course(*leaves: str, **seq: Any) -> ActivityTree:
    """A flat course: the organization with flow on, one leaf per name."""
    return tree(*(item(name) for name in leaves), seq=sd(flow=True, **seq))


class Clock:
    """A wall clock for ``Sequencer(clock=...)`` that only moves when a test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
