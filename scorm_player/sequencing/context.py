"""What every SN process works on, and what the processes return.

``Context`` bundles the activity tree, the registration's tracking state, the shared
objective map, the random source used by selection/randomization and an optional clock.
The processes are plain functions of a ``Context``; they never do I/O.

Exception codes are the SN book's (Appendix C / table of sequencing exceptions), as strings
such as ``"NB.2.1-4"``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field

from scorm_player.sequencing.state import ActivityState, ObjectiveState, TrackingState
from scorm_player.sequencing.tree import Activity, ActivityTree

FORWARD = "forward"
BACKWARD = "backward"


class SequencingError(Exception):
    """An internal inconsistency (never a spec exception: those are returned codes)."""


@dataclass
class Context:
    tree: ActivityTree
    state: TrackingState
    globals: MutableMapping[str, ObjectiveState] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], float] | None = None
    changed_globals: set[str] = field(default_factory=set)

    def s(self, activity: Activity) -> ActivityState:
        """The tracking state of ``activity``."""
        return self.state.activities[activity.id]

    @property
    def current(self) -> Activity | None:
        return self.tree.get(self.state.current_activity)

    @current.setter
    def current(self, activity: Activity | None) -> None:
        self.state.current_activity = activity.id if activity is not None else None

    @property
    def suspended(self) -> Activity | None:
        return self.tree.get(self.state.suspended_activity)

    @suspended.setter
    def suspended(self, activity: Activity | None) -> None:
        self.state.suspended_activity = activity.id if activity is not None else None

    def available_children(self, activity: Activity) -> list[Activity]:
        """The children considered for the current attempt (selection/randomization)."""
        ids = self.s(activity).available_children
        if ids is None:
            return list(activity.children)
        return [self.tree[i] for i in ids if i in self.tree]

    def is_available(self, activity: Activity) -> bool:
        """Whether ``activity`` is in its parent's available children (the root always is)."""
        parent = activity.parent
        return parent is None or activity in self.available_children(parent)


@dataclass(frozen=True)
class NavResult:
    """Navigation Request Process (NB.2.1) outcome."""

    valid: bool
    termination: str | None = None
    sequencing: str | None = None
    target: Activity | None = None
    exception: str | None = None


@dataclass(frozen=True)
class TermResult:
    """Termination Request Process (TB.2.3) outcome; ``sequencing`` replaces the pending one."""

    valid: bool
    sequencing: str | None = None
    exception: str | None = None


@dataclass(frozen=True)
class SeqResult:
    """Sequencing Request Process (SB.2.12) outcome."""

    delivery: Activity | None = None
    end_session: bool = False
    exception: str | None = None

    @property
    def valid(self) -> bool:
        return self.exception is None


@dataclass(frozen=True)
class Traversal:
    """Result of the flow/choice traversal subprocesses (SB.2.1 - SB.2.4, SB.2.9.x)."""

    activity: Activity | None
    ok: bool = True
    direction: str | None = None
    end_session: bool = False
    exception: str | None = None
