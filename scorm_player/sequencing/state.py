"""The tracking model of one registration (SN book 4.2), as plain JSON-ready data.

``TrackingState`` holds, per activity, the objective progress information, attempt and
activity progress information, durations and activity state (active, suspended, available
children), plus the global state (current and suspended activity). The server persists
``to_dict()`` and rebuilds with ``from_dict()``; nothing here refers to Python objects of
the tree, only to activity identifiers.

Shared (global) objectives are kept apart, in a plain ``dict[str, ObjectiveState]`` keyed by
``targetObjectiveID``: the caller chooses its scope (per learner across courses when the
organization's ``objectivesGlobalToSystem`` is true, else per registration).

"Unknown" is a value: every status has its own known flag (SN book: a "status" of false means
the matching value is meaningless). The 4th edition score, completion and progress values
use ``None`` for unknown.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scorm_player.sequencing.tree import ActivityTree, objective_key


@dataclass
class ObjectiveState:
    """Objective progress information (SN book 4.2.1) of one local or global objective."""

    progress_status: bool = False
    satisfied_status: bool = False
    measure_status: bool = False
    normalized_measure: float = 0.0
    # SCORM 2004 4th edition (adlseq:objectives / adlseq:mapInfo)
    raw_score: float | None = None
    min_score: float | None = None
    max_score: float | None = None
    completion_status: str | None = None  # completed | incomplete | not attempted
    progress_measure: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _OBJECTIVE_FIELDS}  # all scalars

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ObjectiveState:
        return cls(**{k: v for k, v in data.items() if k in _OBJECTIVE_FIELDS})


@dataclass
class ActivityState:
    """Tracking status and activity state information of one activity."""

    objectives: dict[str, ObjectiveState] = field(default_factory=dict)
    # attempt progress information (SN book 4.2.2)
    attempt_progress_status: bool = False
    attempt_completion_status: bool = False
    attempt_completion_amount_status: bool = False
    attempt_completion_amount: float = 0.0
    # activity progress information
    activity_progress_status: bool = False
    attempt_count: int = 0
    # durations, in seconds
    activity_absolute_duration: float = 0.0
    activity_experienced_duration: float = 0.0
    attempt_absolute_duration: float = 0.0
    attempt_experienced_duration: float = 0.0
    # activity state information (SN book 4.2.3)
    is_active: bool = False
    is_suspended: bool = False
    available_children: list[str] | None = None  # None: all children, in document order
    # whether the content reported cmi.completion_status / cmi.success_status in this attempt
    # (any value, "unknown" included): End Attempt then leaves the status as reported
    completion_reported: bool = False
    success_reported: bool = False
    # when the current attempt began, on the registration's attempt counter: a child whose
    # attempt began before its parent's is left out of the parent's rollup
    attempt_started_tick: int = 0
    # bookkeeping for durations (not spec elements)
    attempt_started_at: float | None = None
    experienced_base: tuple[float, float] = (0.0, 0.0)  # activity, attempt at delivery

    def reset_objectives(self) -> None:
        for key in self.objectives:
            self.objectives[key] = ObjectiveState()

    def reset_attempt_progress(self) -> None:
        self.completion_reported = False
        self.success_reported = False
        self.attempt_progress_status = False
        self.attempt_completion_status = False
        self.attempt_completion_amount_status = False
        self.attempt_completion_amount = 0.0

    def to_dict(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict: the state of every activity is stored
        # after each commit and read back for each request, and asdict deep-copies.
        data = {name: getattr(self, name) for name in _ACTIVITY_FIELDS}
        data["objectives"] = {k: v.to_dict() for k, v in self.objectives.items()}
        if self.available_children is not None:
            data["available_children"] = list(self.available_children)
        data["experienced_base"] = list(self.experienced_base)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActivityState:
        values = {k: v for k, v in data.items() if k in _ACTIVITY_FIELDS}
        values["objectives"] = {
            k: ObjectiveState.from_dict(v) for k, v in data.get("objectives", {}).items()
        }
        values["experienced_base"] = tuple(data.get("experienced_base", (0.0, 0.0)))
        return cls(**values)


_OBJECTIVE_FIELDS = frozenset(f.name for f in dataclasses.fields(ObjectiveState))
_ACTIVITY_FIELDS = frozenset(f.name for f in dataclasses.fields(ActivityState))


@dataclass
class TrackingState:
    """Everything sequencing remembers about one registration."""

    activities: dict[str, ActivityState] = field(default_factory=dict)
    current_activity: str | None = None
    suspended_activity: str | None = None
    attempt_ticks: int = 0  # attempts begun so far, on any activity (orders them)

    @classmethod
    def initial(cls, tree: ActivityTree, rng: random.Random | None = None) -> TrackingState:
        """A fresh registration: nothing attempted; selection/randomization applied once."""
        from scorm_player.sequencing.selection import apply_selection_and_randomization

        state = cls()
        for activity in tree:
            state.activities[activity.id] = ActivityState(
                objectives={objective_key(o): ObjectiveState() for o in activity.objectives}
            )
        for activity in tree:
            apply_selection_and_randomization(tree, state, activity, rng or random.Random())
        return state

    def to_dict(self) -> dict[str, Any]:
        return {
            "activities": {k: v.to_dict() for k, v in self.activities.items()},
            "current_activity": self.current_activity,
            "suspended_activity": self.suspended_activity,
            "attempt_ticks": self.attempt_ticks,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackingState:
        return cls(
            activities={
                k: ActivityState.from_dict(v) for k, v in data.get("activities", {}).items()
            },
            current_activity=data.get("current_activity"),
            suspended_activity=data.get("suspended_activity"),
            attempt_ticks=data.get("attempt_ticks", 0),
        )


GlobalObjectives = dict[str, ObjectiveState]


def globals_to_dict(objectives: Mapping[str, ObjectiveState]) -> dict[str, Any]:
    """The shared objectives as JSON-ready data."""
    return {k: v.to_dict() for k, v in objectives.items()}


def globals_from_dict(data: Mapping[str, Any]) -> GlobalObjectives:
    return {k: ObjectiveState.from_dict(v) for k, v in data.items()}
