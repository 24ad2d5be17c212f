"""LMS-side rules: status evaluation, total time, entry and the next launch.

Pure functions over a flat ``{element path: value}`` mapping, so the server, the runtime and
the tests share them.

- SCORM 2004 completion/success evaluation (RTE 4.2.4.1 and 4.2.22.1) is the data table
  :data:`EVALUATIONS_2004` (exported to the adapter): with a threshold defined, GetValue and
  Terminate report the measured status and ignore what the SCO set; without a measure they
  report ``unknown``.
- SCORM 1.2 lesson_status at LMSFinish (1.2 RTE 3.4, cmi.core.lesson_status and
  cmi.student_data.mastery_score), in this order: review mode keeps the status the session
  started with; browse mode turns an untouched ``not attempted`` into ``browsed``; with
  credit, a mastery score and a raw score the LMS sets ``passed``/``failed`` (our policy:
  this overrides the SCO, as the book permits; ``mastery_override=False`` turns it off); a
  status still ``not attempted`` becomes ``completed``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
import dataclasses
from dataclasses import dataclass

from scorm_player.datamodel.durations import add_durations, add_timespans
from scorm_player.datamodel.errors import Version


@dataclass(frozen=True)
class Evaluation:
    """``met`` if ``measure >= threshold``, else ``unmet``; ``unmeasured`` with no measure;
    the stored value when no threshold is defined."""

    threshold: str
    measure: str
    met: str
    unmet: str
    unmeasured: str
    section: str


EVALUATIONS_2004: dict[str, Evaluation] = {
    "cmi.completion_status": Evaluation(
        "cmi.completion_threshold", "cmi.progress_measure", "completed", "incomplete",
        "unknown", "SCORM 2004 4th Ed. RTE 4.2.4.1",
    ),
    "cmi.success_status": Evaluation(
        "cmi.scaled_passing_score", "cmi.score.scaled", "passed", "failed", "unknown",
        "SCORM 2004 4th Ed. RTE 4.2.22.1",
    ),
}

#: 2004 values the LMS owns; they survive into a new attempt (everything else starts over).
LMS_OWNED_2004 = (
    "cmi.learner_id", "cmi.learner_name", "cmi.credit", "cmi.mode", "cmi.launch_data",
    "cmi.completion_threshold", "cmi.scaled_passing_score", "cmi.max_time_allowed",
    "cmi.time_limit_action", "cmi.learner_preference.", "cmi.comments_from_lms.", "adl.data.",
)
#: Results a review launch must not change (1.2 RTE 3.4 lesson_mode; 2004 RTE 4.2.16 mode):
#: the LMS keeps what the launch started with.
REVIEW_PROTECTED = {
    "1.2": ("cmi.core.lesson_status", "cmi.core.score."),
    "2004": ("cmi.completion_status", "cmi.success_status", "cmi.score.", "cmi.progress_measure"),
}
#: Per-session values that are never carried to the next launch.
SESSION_ONLY = {
    "1.2": ("cmi.core.exit", "cmi.core.session_time", "cmi.core.entry"),
    "2004": ("cmi.exit", "cmi.session_time", "cmi.entry", "adl.nav.request"),
}


def evaluate(evaluation: Evaluation, stored: str | None, values: Mapping[str, str]) -> str | None:
    """The value GetValue reports for an evaluated element (``stored`` when no threshold)."""
    threshold = values.get(evaluation.threshold, "")
    if threshold == "":
        return stored
    measure = values.get(evaluation.measure, "")
    if measure == "":
        return evaluation.unmeasured
    return evaluation.met if float(measure) >= float(threshold) else evaluation.unmet


def evaluated_values(values: Mapping[str, str]) -> dict[str, str]:
    """``values`` with the 2004 evaluated statuses put in (defaults ``unknown``)."""
    result = dict(values)
    for element, evaluation in EVALUATIONS_2004.items():
        value = evaluate(evaluation, values.get(element), values)
        result[element] = value if value is not None else "unknown"
    return result


def credit_for_mode(mode: str) -> str:
    """``no-credit`` for browse and review launches, ``credit`` for normal ones."""
    return "credit" if mode == "normal" else "no-credit"


def lesson_status_12(
    values: Mapping[str, str],
    *,
    status_at_launch: str = "not attempted",
    sco_set_status: bool = False,
    mastery_override: bool = True,
) -> str:
    """The SCORM 1.2 ``cmi.core.lesson_status`` recorded at LMSFinish (rules in the module doc)."""
    status = values.get("cmi.core.lesson_status", "not attempted")
    mode = values.get("cmi.core.lesson_mode", "normal")
    if mode == "review":
        return status_at_launch
    if mode == "browse" and status_at_launch == "not attempted" and not sco_set_status:
        return "browsed"
    mastery = values.get("cmi.student_data.mastery_score", "")
    raw = values.get("cmi.core.score.raw", "")
    credit = values.get("cmi.core.credit", "credit") == "credit"
    if mastery_override and credit and mastery != "" and raw != "":
        return "passed" if float(raw) >= float(mastery) else "failed"
    return "completed" if status == "not attempted" else status


@dataclass(frozen=True)
class SessionOutcome:
    """What a finished session leaves behind.

    :ivar values: the values to persist (statuses evaluated, ``total_time`` summed).
    :ivar suspended: the attempt was suspended (1.2 / 2004 ``exit=suspend``, 2004
        ``adl.nav.request=suspendAll``).
    :ivar attempt_ended: 2004 only: the next launch is a new attempt.
    :ivar next_entry: ``cmi.entry`` / ``cmi.core.entry`` for the next launch.
    :ivar nav_request: 2004 navigation request to process (``time-out`` and ``logout``
        imply ``exitAll`` when the SCO asked for nothing else).
    """

    version: Version
    values: dict[str, str]
    exit: str
    suspended: bool
    attempt_ended: bool
    next_entry: str
    nav_request: str


def end_session(
    version: Version,
    values: Mapping[str, str],
    *,
    status_at_launch: str = "not attempted",
    sco_set: Collection[str] = (),
    mastery_override: bool = True,
    launch_values: Mapping[str, str] | None = None,
) -> SessionOutcome:
    """Apply the LMS rules at Terminate / LMSFinish (rte-api.md section 6).

    :param launch_values: the values the session started with; in review mode the results
        (:data:`REVIEW_PROTECTED`) are put back to them.
    """
    outcome = _end_session(version, values, status_at_launch, sco_set, mastery_override)
    mode = values.get("cmi.core.lesson_mode" if version == "1.2" else "cmi.mode", "normal")
    if mode == "review" and launch_values is not None:
        protected = REVIEW_PROTECTED[version]
        kept = {k: v for k, v in outcome.values.items() if not k.startswith(protected)}
        kept.update({k: v for k, v in launch_values.items() if k.startswith(protected)})
        outcome = dataclasses.replace(outcome, values=kept)
    return outcome


def _end_session(
    version: Version,
    values: Mapping[str, str],
    status_at_launch: str,
    sco_set: Collection[str],
    mastery_override: bool,
) -> SessionOutcome:
    result = dict(values)
    if version == "1.2":
        exit_value = values.get("cmi.core.exit", "")
        result["cmi.core.total_time"] = add_timespans(
            values.get("cmi.core.total_time", "0000:00:00.00"),
            values.get("cmi.core.session_time", "00:00:00"),
        )
        result["cmi.core.lesson_status"] = lesson_status_12(
            values, status_at_launch=status_at_launch,
            sco_set_status="cmi.core.lesson_status" in sco_set,
            mastery_override=mastery_override,
        )
        suspended = exit_value == "suspend"
        return SessionOutcome(
            version, result, exit_value, suspended, False, "resume" if suspended else "", ""
        )
    exit_value = values.get("cmi.exit", "")
    nav = values.get("adl.nav.request", "_none_")
    result["cmi.total_time"] = add_durations(
        values.get("cmi.total_time", "PT0H0M0S"), values.get("cmi.session_time", "PT0S")
    )
    result = evaluated_values(result)
    suspended = exit_value == "suspend" or nav == "suspendAll"
    if nav == "_none_" and exit_value in ("time-out", "logout"):
        nav = "exitAll"
    return SessionOutcome(
        version, result, exit_value, suspended, not suspended,
        "resume" if suspended else "ab-initio", nav,
    )


def next_launch(outcome: SessionOutcome) -> dict[str, str]:
    """The initial values of the next launch of the same SCO (1.2 RTE 3.4 entry;
    2004: a suspended attempt resumes, any other exit starts a new attempt)."""
    if outcome.version == "2004" and outcome.attempt_ended:
        kept = {k: v for k, v in outcome.values.items() if k.startswith(LMS_OWNED_2004)}
        return {**kept, "cmi.entry": "ab-initio"}
    dropped = SESSION_ONLY[outcome.version]
    kept = {k: v for k, v in outcome.values.items() if k not in dropped}
    entry = "cmi.core.entry" if outcome.version == "1.2" else "cmi.entry"
    return {**kept, entry: outcome.next_entry}
