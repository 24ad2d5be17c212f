"""SCORM 2004 sequencing as the player's navigation policy.

:class:`SequencingPolicy` answers the player's two questions (``toc`` and ``request``, see
:mod:`scorm_player.services.navigation`) with the pure engine of
:mod:`scorm_player.sequencing`: it rebuilds a :class:`~scorm_player.sequencing.engine.Sequencer`
from the registration's stored tracking state and the learner's shared objectives, runs the
request on that copy, and hands the resulting state back inside the :class:`Decision`. The
policy never writes: the launch (or the carry-out endpoint) stores ``decision.sequencing``
and ``decision.objectives`` when it carries the decision out, so a look-ahead (which
controls to enable) changes nothing.

A few things the standard leaves to the LMS, decided here:

- A launch with no request (``start``) resumes a suspended course (``resumeAll``). When the
  previous session was left without any navigation request (the window was closed), the
  learner's place is kept: the session is suspended, then resumed.
- When ``start`` delivers nothing (a choice-only course: the root does not allow flow), the
  player opens the first activity a choice would deliver, as if the learner had chosen it
  from the table of contents: a launch always shows content.
- Exception codes (SN book, Appendix) are kept on the decision and logged; the learner sees a
  plain sentence.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from scorm_player.sequencing.engine import Outcome, Sequencer
from scorm_player.sequencing.overall import NavigationOutcome
from scorm_player.sequencing.state import TrackingState, globals_from_dict, globals_to_dict
from scorm_player.sequencing.tree import ActivityTree
from scorm_player.services.course_model import CourseModel, shared_objectives
from scorm_player.services.navigation import (
    Controls,
    Decision,
    NavigationPolicy,
    RegistrationView,
    TocEntry,
    default_policy_for,
)
from scorm_player.storage.tracking import TrackingUnit

log = logging.getLogger(__name__)

#: What the learner reads for a refused request, by the exception code's process.
MESSAGES = {
    "NB.2.1-2": "The course has not started yet.",
    "NB.2.1-3": "There is no suspended session to resume.",
    "NB.2.1-4": "This course does not let you move forward and back here.",
    "NB.2.1-5": "This course only lets you move forward here.",
    "NB.2.1-6": "This is the first part of the course.",
    "NB.2.1-8": "You must finish this part before leaving it.",
    "NB.2.1-10": "This course does not let you choose parts here.",
    "NB.2.1-11": "The course has no such part.",
    "SB.2.1-1": "This is the last part of the course.",
    "SB.2.1-3": "This is the first part of the course.",
    "SB.2.1-4": "This course only lets you move forward here.",
    "SB.2.2-1": "This course does not let you move forward and back here.",
    "SB.2.2-2": "The next part is not available yet.",
    "SB.2.4-1": "The next part is not available yet.",
    "SB.2.4-2": "This course only lets you move forward here.",
    "SB.2.4-3": "This is the first part of the course.",
    "SB.2.7-2": "This course does not let you move forward here.",
    "SB.2.8-2": "This course does not let you move back here.",
    "SB.2.9-2": "That part is not available.",
    "SB.2.9-3": "That part is not available.",
    "SB.2.9-4": "That part cannot be chosen now.",
    "SB.2.9-5": "That part cannot be chosen now.",
    "SB.2.9-6": "That part cannot be started yet.",
    "SB.2.9-7": "You must finish this part before leaving it.",
    "SB.2.9-8": "That part cannot be chosen from here.",
    "SB.2.9-9": "That part cannot be chosen now.",
    "DB.1.1-3": "That part is not available (its attempts are used up).",
}
_DEFAULT_MESSAGE = "This is not available now."


class SequencingPolicy:
    """The SCORM 2004 sequencer behind :class:`~scorm_player.services.navigation
    .NavigationPolicy` for one course version's activity tree."""

    def __init__(self, tree: ActivityTree) -> None:
        self.tree = tree

    # --- NavigationPolicy -----------------------------------------------------------------

    def toc(self, view: RegistrationView) -> list[TocEntry]:
        """Every activity, the root (the organization) first, with what choice allows now.

        The root is the tree's top entry, as in other sequencing players: a choice of it is
        a valid request that starts the course's flow again from the top (SB.2.9 steps
        12-15), and the CTS asks whether "the activity that corresponds to the root" is
        selectable (CM-07d, CM-07e, SX-04b).
        """
        sequencer = self.sequencer(view)
        jumpable = sequencer.valid_targets("jump")
        entries = []
        for entry in sequencer.toc():
            item = view.model.item(entry.id)
            entries.append(
                TocEntry(
                    id=entry.id,
                    title=entry.title,
                    depth=entry.depth,
                    parent=entry.parent,
                    is_leaf=entry.is_leaf,
                    launchable=item is not None,
                    visible=entry.visible and not entry.hidden_from_choice,
                    enabled=entry.enabled and view.mode != "review",
                    status=entry.status,
                    scorm_type=item.scorm_type if item is not None else None,
                    jumpable=jumpable[entry.id],
                )
            )
        return entries

    def controls(self, view: RegistrationView) -> Controls:
        """Previous when a previous request would deliver something; Continue whenever the
        navigation request process accepts continue (:meth:`Sequencer.offers_continue`)."""
        sequencer = self.sequencer(view)
        return Controls(
            previous=sequencer.offers_previous(), continue_=sequencer.offers_continue()
        )

    def request(
        self, view: RegistrationView, request: str, target: str | None = None
    ) -> Decision:
        sequencer = self.sequencer(view)
        if request == "start":
            outcome = self._start(sequencer)
        else:
            outcome = sequencer.navigate(request, target)
        return self._decision(sequencer, outcome)

    # --- what the run-time and the launch need --------------------------------------------

    def sequencer(self, view: RegistrationView) -> Sequencer:
        """A sequencer over a private copy of the registration's state."""
        stored = view.sequencing
        rng = random.Random(_seed(view.registration_id, stored))
        state = TrackingState.from_dict(stored) if stored else None
        return Sequencer(
            self.tree, state, globals_from_dict(view.objectives or {}), rng=rng, clock=time.time
        )

    def report(
        self, view: RegistrationView, activity_id: str, cmi: Mapping[str, str]
    ) -> tuple[dict[str, Any], dict[str, Any], Outcome] | None:
        """The tracking state, shared objectives and the course's rollup after a SCO's
        committed data; ``None`` when the registration has no state yet or the item is not
        in the tree."""
        if not view.sequencing or activity_id not in self.tree:
            return None
        sequencer = self.sequencer(view)
        sequencer.report_runtime(activity_id, cmi)
        state, objectives = sequencer.state.to_dict(), globals_to_dict(sequencer.global_objectives)
        return state, objectives, sequencer.outcome()

    def initial_cmi(self, view: RegistrationView, activity_id: str) -> dict[str, str]:
        """The CMI values sequencing supplies to a launch of ``activity_id`` (objectives
        read from shared objectives, thresholds)."""
        if activity_id not in self.tree:
            return {}
        return self.sequencer(view).initial_cmi(activity_id)

    # --- helpers ----------------------------------------------------------------------------

    def _start(self, sequencer: Sequencer) -> NavigationOutcome:
        """A launch with no request: resume, continue where the learner was, or start."""
        state = sequencer.state
        if state.current_activity is not None:  # the last session was never ended
            suspended = sequencer.navigate("suspendAll")
            if suspended.valid:
                return sequencer.navigate("resumeAll")
            sequencer.navigate("abandonAll")
        if state.suspended_activity is not None:
            return sequencer.navigate("resumeAll")
        outcome = sequencer.navigate("start")
        if outcome.delivered is None and not outcome.session_ended:
            for entry in sequencer.toc():
                if entry.is_leaf and entry.enabled:
                    return sequencer.navigate("choice", entry.id)
        return outcome

    def _decision(self, sequencer: Sequencer, outcome: NavigationOutcome) -> Decision:
        state = sequencer.state.to_dict()
        objectives = globals_to_dict(sequencer.global_objectives)
        if outcome.delivered is not None:
            return Decision(
                "deliver", outcome.delivered, resume=outcome.resumed,
                sequencing=state, objectives=objectives,
            )
        if outcome.session_ended:
            return Decision(
                "exit", suspend=outcome.suspended, sequencing=state, objectives=objectives,
                exception=outcome.reason,
            )
        if outcome.exception is None:
            kind = "exit" if outcome.suspended else "stay"
            return Decision(
                kind, suspend=outcome.suspended, sequencing=state, objectives=objectives
            )
        log.info("navigation refused: %s", outcome.exception)
        return Decision(
            "refused", message=MESSAGES.get(outcome.exception, _DEFAULT_MESSAGE),
            exception=outcome.exception,
        )


def _seed(registration_id: int, stored: Mapping[str, Any] | None) -> str:
    """Randomization that a look-ahead and the real request agree on, and that still differs
    from one attempt to the next: seeded by the registration and how far it has gone."""
    attempts = 0
    if stored:
        attempts = sum(a.get("attempt_count", 0) for a in stored.get("activities", {}).values())
    return f"{registration_id}:{attempts}"


def policy_for(model: CourseModel) -> NavigationPolicy:
    """The sequencer for a SCORM 2004 course, the default policy for SCORM 1.2."""
    if model.tree is None:
        return default_policy_for(model)
    return SequencingPolicy(model.tree)  # cheap: the tree is the course model's


def report_to_sequencing(
    unit: TrackingUnit, model: CourseModel, item: str, values: Mapping[str, str], now: datetime
) -> Outcome | None:
    """Map an item's CMI data into the registration's tracking state, roll it up and store
    it, so the table of contents and the next request see it (a SCORM 1.2 course: nothing).
    Returns the course's rollup after it (for the registration's result)."""
    if model.tree is None:
        return None
    registration = unit.registration
    view = RegistrationView(
        model, (), item, registration_id=registration.id,
        sequencing=registration.sequencing_state, objectives=shared_objectives(unit, model),
    )
    reported = SequencingPolicy(model.tree).report(view, item, values)
    if reported is None:
        return None
    state, objectives, outcome = reported
    unit.save_sequencing_state(state, now)
    unit.save_global_objectives(model.objective_scope(registration.id), objectives, now)
    return outcome
