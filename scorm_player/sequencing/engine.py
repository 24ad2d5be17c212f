"""The sequencer facade the tracking server calls.

``Sequencer(tree, state, global_objectives)`` wraps one registration:

* ``navigate(request, target)`` runs the Overall Sequencing Process (OP.1);
* ``report_runtime(activity_id, cmi_values)`` maps a SCO's committed CMI data into the
  tracking model (``docs``: sequencing-2004 section 2, "RTE to tracking mapping") and
  rolls it up, so the next request sees it;
* ``request_valid()`` answers ``adl.nav.request_valid.*`` by look-ahead on a copy;
* ``toc()`` lists the activities for the learner's table of contents;
* ``initial_cmi(activity_id)`` gives the sequencing-derived values a launch needs.

The state and the global objective map are mutated in place; persist ``state.to_dict()``
and ``globals_to_dict(global_objectives)`` after each call that changes them.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import asdict, dataclass
from typing import Any

from scorm_player.sequencing.context import Context
from scorm_player.sequencing.objectives import view
from scorm_player.sequencing.overall import NavigationOutcome, overall_sequencing_process
from scorm_player.sequencing.runtime_map import apply_cmi, objective_cmi
from scorm_player.sequencing.state import ObjectiveState, TrackingState
from scorm_player.sequencing.tree import Activity, ActivityTree
from scorm_player.sequencing.utility import PRE_HIDDEN, sequencing_rules_check

_TARGETED = re.compile(r"^\{target=(?P<target>[^}]*)\}(?P<request>choice|jump)$")


def parse_nav_request(value: str) -> tuple[str | None, str | None]:
    """Split an ``adl.nav.request`` value: ``{target=X}choice`` -> ("choice", "X")."""
    if value in ("", "_none_"):
        return None, None
    match = _TARGETED.match(value)
    if match:
        return match["request"], match["target"]
    return value, None


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str
    depth: int
    parent: str | None
    is_leaf: bool
    visible: bool
    hidden_from_choice: bool
    enabled: bool  # a choice request on it would be valid now
    status: str  # not attempted | incomplete | completed | passed | failed
    is_current: bool
    is_suspended: bool
    attempt_count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Sequencer:
    """One registration's sequencing engine. Pure: no I/O, no framework."""

    def __init__(
        self,
        tree: ActivityTree,
        state: TrackingState | None = None,
        global_objectives: MutableMapping[str, ObjectiveState] | None = None,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        rng = rng or random.Random()
        if state is None:
            state = TrackingState.initial(tree, rng)
        self.tree = tree
        self.ctx = Context(
            tree, state, global_objectives if global_objectives is not None else {}, rng, clock
        )

    @property
    def state(self) -> TrackingState:
        return self.ctx.state

    @property
    def global_objectives(self) -> MutableMapping[str, ObjectiveState]:
        return self.ctx.globals

    @property
    def current_activity(self) -> str | None:
        return self.ctx.state.current_activity

    @property
    def suspended_activity(self) -> str | None:
        return self.ctx.state.suspended_activity

    def navigate(
        self, request: str, target: str | None = None, *, from_content: bool = False
    ) -> NavigationOutcome:
        """OP.1 for ``request`` (a navigation request or an ``adl.nav.request`` value).

        With ``from_content`` (the SCO's ``adl.nav.request``), ``start`` and ``resumeAll``
        are not navigation requests content may make: NB.2.1-13.
        """
        if target is None:
            parsed, target = parse_nav_request(request)
            if parsed is None:
                return NavigationOutcome()
            request = parsed
        if from_content and request in ("start", "resumeAll"):
            return NavigationOutcome(exception="NB.2.1-13")
        return overall_sequencing_process(self.ctx, request, target)

    def report_runtime(self, activity_id: str, cmi_values: Mapping[str, str]) -> None:
        """Record a SCO's committed CMI data in the tracking model, then roll it up."""
        apply_cmi(self.ctx, self.tree[activity_id], cmi_values)

    def request_valid(self) -> dict[str, str]:
        """``adl.nav.request_valid`` values, evaluated on a copy of the state.

        Keys: ``continue``, ``previous``, ``choice.{target=ID}`` and ``jump.{target=ID}``
        for every activity; values ``"true"`` / ``"false"``.
        """
        result = {
            "continue": _text(self._would_succeed("continue")),
            "previous": _text(self._would_succeed("previous")),
        }
        for activity in self.tree:
            result[f"choice.{{target={activity.id}}}"] = _text(
                self._would_succeed("choice", activity.id)
            )
            result[f"jump.{{target={activity.id}}}"] = _text(
                self._would_succeed("jump", activity.id)
            )
        return result

    def toc(self) -> list[TocEntry]:
        """The table of contents, in (available) document order."""
        entries: list[TocEntry] = []
        for activity in self.tree:
            entries.append(
                TocEntry(
                    id=activity.id,
                    title=activity.title,
                    depth=len(activity.path_to_root()) - 1,
                    parent=activity.parent.id if activity.parent else None,
                    is_leaf=activity.is_leaf,
                    visible=activity.is_visible and self.ctx.is_available(activity),
                    hidden_from_choice=self._hidden(activity),
                    enabled=self._would_succeed("choice", activity.id),
                    status=self._status(activity),
                    is_current=activity.id == self.ctx.state.current_activity,
                    is_suspended=self.ctx.s(activity).is_suspended,
                    attempt_count=self.ctx.s(activity).attempt_count,
                )
            )
        return entries

    def initial_cmi(self, activity_id: str) -> dict[str, str]:
        """The CMI values sequencing provides when ``activity_id`` is launched."""
        activity = self.tree[activity_id]
        values: dict[str, str] = {}
        primary = activity.primary_objective
        if primary.satisfied_by_measure:
            values["cmi.scaled_passing_score"] = _number(primary.min_normalized_measure)
        threshold = activity.completion_threshold
        if threshold.completed_by_measure or threshold.min_progress_measure != 1.0:
            values["cmi.completion_threshold"] = _number(threshold.min_progress_measure)
        limit = activity.definition.limit_conditions.attempt_absolute_duration_limit
        if limit:
            values["cmi.max_time_allowed"] = limit
        values.update(objective_cmi(self.ctx, activity))
        return values

    # --- helpers ---------------------------------------------------------------------

    def _would_succeed(self, request: str, target: str | None = None) -> bool:
        """Run OP.1 on a throw-away copy of the state: did it deliver or end the session?"""
        rng = random.Random()
        rng.setstate(self.ctx.rng.getstate())
        scratch = Context(
            self.tree,
            copy.deepcopy(self.ctx.state),
            copy.deepcopy(dict(self.ctx.globals)),
            rng,
            self.ctx.clock,
        )
        outcome = overall_sequencing_process(scratch, request, target)
        return outcome.valid and (outcome.delivered is not None or outcome.session_ended)

    def _hidden(self, activity: Activity) -> bool:
        return any(
            sequencing_rules_check(self.ctx, a, "pre", PRE_HIDDEN) is not None
            for a in activity.path_to_root()
        )

    def _status(self, activity: Activity) -> str:
        s = self.ctx.s(activity)
        primary = view(self.ctx, activity)
        if primary.progress_status:
            return "passed" if primary.satisfied_status else "failed"
        if s.attempt_progress_status:
            return "completed" if s.attempt_completion_status else "incomplete"
        return "incomplete" if s.attempt_count > 0 else "not attempted"


def _text(value: bool) -> str:
    return "true" if value else "false"


def _number(value: float) -> str:
    return format(value, "g") if value == value else "0"
