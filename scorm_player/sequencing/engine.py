"""The sequencer facade the tracking server calls.

``Sequencer(tree, state, global_objectives)`` wraps one registration:

* ``navigate(request, target)`` runs the Overall Sequencing Process (OP.1);
* ``report_runtime(activity_id, cmi_values)`` maps a SCO's committed CMI data into the
  tracking model (``docs``: sequencing-2004 section 2, "RTE to tracking mapping") and
  rolls it up, so the next request sees it;
* ``request_valid()`` answers ``adl.nav.request_valid.*`` by look-ahead on scratch copies;
* ``toc()`` lists the activities for the learner's table of contents;
* ``initial_cmi(activity_id)`` gives the sequencing-derived values a launch needs.

The state and the global objective map are mutated in place; persist ``state.to_dict()``
and ``globals_to_dict(global_objectives)`` after each call that changes them.

Look-ahead: "would a choice of X succeed now?" is asked for every activity by the TOC and
``request_valid()``, after every commit. Running OP.1 on a deep copy per activity made both
quadratic (28 s for the TOC of a 1,000-activity course). ``_look_ahead`` runs the same
processes, but shares what the SN book makes independent of the target: the termination of
the current attempt (TB.2.3) runs once, on one copy-on-read fork, and each target then runs
SB.2.12 and DB.1.1 on its own cheap fork of that result.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import asdict, dataclass
from typing import Any

from scorm_player.sequencing.context import Context, NavResult
from scorm_player.sequencing.delivery import delivery_request_process
from scorm_player.sequencing.navigation import navigation_request_process
from scorm_player.sequencing.objectives import view
from scorm_player.sequencing.overall import NavigationOutcome, overall_sequencing_process
from scorm_player.sequencing.runtime_map import apply_cmi, objective_cmi
from scorm_player.sequencing.sequencing_request import sequencing_request_process
from scorm_player.sequencing.state import ObjectiveState, TrackingState
from scorm_player.sequencing.termination import termination_request_process
from scorm_player.sequencing.tree import Activity, ActivityTree
from scorm_player.sequencing.utility import PRE_HIDDEN, sequencing_rules_check

_TARGETED = re.compile(r"^\{target=(?P<target>[^}]*)\}(?P<request>choice|jump)$")
# The sequencing requests whose process reads the target (SB.2.9, SB.2.13); the others
# (start, resumeAll, exit, retry, continue, previous) answer the same for every target.
_TARGETED_SEQUENCING = ("choice", "jump")


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


@dataclass(frozen=True)
class Outcome:
    """What rollup says of one activity (the root: the course): the values an LMS records."""

    completion_status: str  # not attempted | incomplete | completed
    success_status: str  # unknown | passed | failed
    scaled_score: float | None  # the primary objective's normalized measure, when known


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
        """``adl.nav.request_valid`` values, evaluated on scratch copies of the state.

        Keys: ``continue``, ``previous``, ``choice.{target=ID}`` and ``jump.{target=ID}``
        for every activity; values ``"true"`` / ``"false"``.
        """
        choice = self.valid_targets("choice")
        jump = self.valid_targets("jump")
        result = {
            "continue": _text(self._would_succeed("continue")),
            "previous": _text(self._would_succeed("previous")),
        }
        for activity_id in choice:
            result[f"choice.{{target={activity_id}}}"] = _text(choice[activity_id])
            result[f"jump.{{target={activity_id}}}"] = _text(jump[activity_id])
        return result

    def valid_targets(self, request: str) -> dict[str, bool]:
        """For a ``choice`` or ``jump`` request: would it deliver (or end the session) if it
        named each activity? One look-ahead for the whole tree, in document order."""
        ids = [activity.id for activity in self.tree]
        answers = self._look_ahead(request, ids)
        return {activity_id: answers[activity_id] for activity_id in ids}

    def offers_continue(self) -> bool:
        """Whether a player enables its Continue control: NB.2.1 accepts continue now.

        Not the full look-ahead of ``request_valid()``: ADL's RTE enables Continue wherever
        the current activity's parent allows flow, even when flow then finds nothing it can
        deliver (CTS CM-07d: the next cluster does not flow into its children), and pressing
        it says why; it disables Continue where the parent does not flow (CM-07b). Past
        the last activity, continue ends the course, so Continue stays enabled there.
        """
        return navigation_request_process(self.ctx.fork(), "continue", None).valid

    def offers_previous(self) -> bool:
        """Whether a player enables its Previous control: a previous request would deliver
        (the full look-ahead, as ``request_valid()``'s ``previous``)."""
        return self._would_succeed("previous")

    def toc(self) -> list[TocEntry]:
        """The table of contents, in (available) document order."""
        enabled = self.valid_targets("choice")
        hidden: dict[str, bool] = {}
        entries: list[TocEntry] = []
        for activity in self.tree:  # pre-order: a parent's entry comes before its children
            parent = activity.parent
            hidden[activity.id] = (parent is not None and hidden[parent.id]) or _hides(
                self.ctx, activity
            )
            entries.append(
                TocEntry(
                    id=activity.id,
                    title=activity.title,
                    depth=entries[parent.index].depth + 1 if parent is not None else 0,
                    parent=parent.id if parent is not None else None,
                    is_leaf=activity.is_leaf,
                    visible=activity.is_visible and self.ctx.is_available(activity),
                    hidden_from_choice=hidden[activity.id],
                    enabled=enabled[activity.id],
                    status=self._status(activity),
                    is_current=activity.id == self.ctx.state.current_activity,
                    is_suspended=self.ctx.s(activity).is_suspended,
                    attempt_count=self.ctx.s(activity).attempt_count,
                )
            )
        return entries

    def outcome(self, activity_id: str | None = None) -> Outcome:
        """The rolled-up completion, success and measure of an activity (default: the root,
        whose values are the course's result)."""
        activity = self.tree.root if activity_id is None else self.tree[activity_id]
        s = self.ctx.s(activity)
        primary = view(self.ctx, activity)
        if s.attempt_progress_status:
            completion = "completed" if s.attempt_completion_status else "incomplete"
        else:
            completion = "incomplete" if s.attempt_count > 0 else "not attempted"
        success = (
            ("passed" if primary.satisfied_status else "failed")
            if primary.progress_status else "unknown"
        )
        scaled = primary.normalized_measure if primary.measure_status else None
        return Outcome(completion, success, scaled)

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
        """Would OP.1 deliver an activity or end the session? The state is left as it is."""
        return self._look_ahead(request, [target])[target]

    def _look_ahead(
        self, request: str, target_ids: Iterable[str | None]
    ) -> dict[str | None, bool]:
        """OP.1 for ``request`` to each target, on forks: did it deliver or end the session?

        The steps and their order are those of ``overall_sequencing_process``; only what the
        book makes independent of the target is shared:

        1. NB.2.1 for each target. It changes nothing, so one fork serves them all.
        2. TB.2.3 once per termination request: it depends on the current activity alone.
        3. SB.2.12 (which TB.2.3 may have replaced, OP.1 step 1.3.3) and DB.1.1 for each
           target on its own fork of the terminated state; a request other than choice or
           jump ignores the target, so it runs once.
        4. DB.2 refuses only at its step 1 (the current activity is still active); its
           other steps start attempts and cannot fail, so it is decided without them.
        """
        answers: dict[str | None, bool] = {}
        navigation = self.ctx.fork()
        by_termination: dict[str | None, list[tuple[str | None, NavResult]]] = {}
        for target_id in target_ids:  # OP.1 step 1.1
            nav = navigation_request_process(navigation, request, self.tree.get(target_id))
            if nav.valid:
                by_termination.setdefault(nav.termination, []).append((target_id, nav))
            else:  # step 1.2
                answers[target_id] = False
        for termination, navs in by_termination.items():
            terminated = self.ctx.fork()
            replaced = None
            if termination is not None:  # step 1.3
                term = termination_request_process(terminated, termination)
                if not term.valid:
                    answers.update((target_id, False) for target_id, _nav in navs)
                    continue
                replaced = term.sequencing  # step 1.3.3
            untargeted: dict[str, bool] = {}
            for target_id, nav in navs:
                sequencing = replaced if replaced is not None else nav.sequencing
                if sequencing is None:  # nothing to sequence: nothing delivered
                    answers[target_id] = False
                elif sequencing in _TARGETED_SEQUENCING:
                    answers[target_id] = _delivers(terminated.fork(), sequencing, nav.target)
                else:
                    if sequencing not in untargeted:
                        untargeted[sequencing] = _delivers(terminated.fork(), sequencing, None)
                    answers[target_id] = untargeted[sequencing]
        return answers

    def _status(self, activity: Activity) -> str:
        """One TOC status: a known success wins over the completion."""
        outcome = self.outcome(activity.id)
        if outcome.success_status != "unknown":
            return outcome.success_status
        return outcome.completion_status


def _delivers(ctx: Context, sequencing: str, target: Activity | None) -> bool:
    """OP.1 steps 1.4 - 1.6 on a scratch ``ctx``: delivered, or the session ended?"""
    seq = sequencing_request_process(ctx, sequencing, target)  # step 1.4
    if seq.end_session:  # step 1.4.2: ending the session is a successful request
        return True
    if not seq.valid or seq.delivery is None:  # step 1.4.3
        return False
    if not delivery_request_process(ctx, seq.delivery).valid:  # step 1.5
        return False
    current = ctx.current  # step 1.6: DB.2 step 1, its only refusal
    return current is None or not ctx.s(current).is_active


def _hides(ctx: Context, activity: Activity) -> bool:
    """A hiddenFromChoice pre-condition rule of ``activity`` itself fires."""
    return sequencing_rules_check(ctx, activity, "pre", PRE_HIDDEN) is not None


def _text(value: bool) -> str:
    return "true" if value else "false"


def _number(value: float) -> str:
    return format(value, "g") if value == value else "0"
