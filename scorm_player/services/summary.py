"""A registration's result, as the LMS records it: one row an LMS host reads back.

SCORM 1.2 (and a SCORM 2004 course before sequencing began) sums the SCOs up
(:func:`cmi_rows.summarise`). In a sequenced SCORM 2004 course the course's completion,
success and scaled score are what rollup says of the root activity: sequencing decides what
counts (rollup rules, weights, rollupConsiderations, objectives read from other courses), so
the result must not be a second, different opinion formed from the SCOs alone.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from scorm_player.sequencing.engine import Outcome, Sequencer
from scorm_player.sequencing.state import TrackingState, globals_from_dict
from scorm_player.services import cmi_rows
from scorm_player.services.course_model import CourseModel, shared_objectives
from scorm_player.storage.tracking import TrackingUnit


def refresh_summary(
    unit: TrackingUnit, model: CourseModel, now: datetime, outcome: Outcome | None = None
) -> None:
    """Recompute and store the registration's result (after a commit or a sequencing step).

    :param outcome: the root's rollup when the caller's sequencer has it at hand (a
        commit's report), else it is read from the stored tracking state.
    """
    attempts = unit.attempts()
    latest = {a.item_identifier: a.columns for a in attempts}  # oldest first: last wins
    total = sum(a.columns.total_seconds for a in attempts)
    summary = cmi_rows.summarise(model.sco_items, latest, total)
    if outcome is None:
        outcome = course_outcome(unit, model)
    if outcome is not None:
        summary = dataclasses.replace(
            summary,
            completion_status=outcome.completion_status,
            success_status=outcome.success_status,
            score_scaled=(
                outcome.scaled_score if outcome.scaled_score is not None else summary.score_scaled
            ),
        )
    unit.save_summary(summary, now)


def course_outcome(unit: TrackingUnit, model: CourseModel) -> Outcome | None:
    """What rollup says of the course's root, or ``None`` when nothing is sequenced yet."""
    stored = unit.registration.sequencing_state
    if model.tree is None or not stored:
        return None
    objectives = globals_from_dict(shared_objectives(unit, model) or {})
    return Sequencer(model.tree, TrackingState.from_dict(stored), objectives).outcome()
