"""Tracking: apply the page's commits to an attempt, renew tokens, report results.

:meth:`TrackingService.apply_commit` is docs/runtime-protocol.md section 3, in one transaction
under the registration's lock:

1. the run-time token must be genuine (:class:`TokenRefused`), current (:class:`TokenExpired`,
   401) and of the registration's latest launch (``superseded``, 409);
2. ``seq`` at or below the attempt's high-water mark is acknowledged again and not applied;
   past ``mark + 1`` it is a ``gap`` (409, with ``expected``);
3. a split commit's parts are kept until all ``n`` arrived (a resent part replaces the one
   kept), then applied as one batch, a value cut across parts joined again
   (:mod:`tracking_body`);
4. the batch is replayed through :meth:`CMIRuntime.apply_changes` on the stored state with
   the course's policy; one refused change refuses the batch (``invalid``, 422) and nothing
   is stored;
5. on ``final`` the LMS rules run (:func:`rules.end_session`): total time, lesson status from
   the mastery score, statuses from thresholds, entry for the next launch; a suspended
   attempt waits to be resumed; a SCORM 2004 attempt that was not suspended ends (the next
   launch starts a new one), a SCORM 1.2 one is continued by the next launch with
   ``entry`` empty and its data kept (1.2 RTE 3.4.4: 1.2 has no attempts);
6. the state, its normalised columns, interaction and objective rows, the learner's
   preferences, ``adl.data`` stores, the commit log and the registration's summary are
   written.

Review launches (``mode=review``) are acknowledged and logged, never applied: the recorded
results stay as they were (RTE 4.2.16, SCORM 1.2 lesson_mode).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scorm_player.datamodel import CMIRuntime, rules
from scorm_player.services import cmi_rows, initial_state, tracking_body
from scorm_player.services.course_model import CourseModel, CourseModels
from scorm_player.services.courses import CourseService
from scorm_player.services.errors import (
    CommitRefused,
    CourseNotFound,
    InvalidInput,
    NotRegistered,
    ServiceError,
)
from scorm_player.services.sequencing import report_to_sequencing
from scorm_player.services.summary import refresh_summary
from scorm_player.services.tokens import RuntimeClaims, Tokens
from scorm_player.services.tracking_body import Change, Pair
from scorm_player.storage.records import (
    Attempt,
    AttemptResult,
    CommitPart,
    Learner,
    RegistrationState,
    Summary,
)
from scorm_player.storage.tracking import TrackingRepository, TrackingUnit

log = logging.getLogger(__name__)

MAX_PARTS = 256
# A session the SCO ends with abandon: what it reported at that end is not carried into the
# tracking model (TB.2.3 abandons without End Attempt; CTS SX-04b: a satisfied status set
# just before abandon does not make a skip rule fire on the next flow).
_ABANDONING = ("abandon", "abandonAll")
_STORE = re.compile(r"adl\.data\.([0-9]+)\.store")


@dataclass(frozen=True)
class CommitResult:
    """A commit's answer. ``ack`` is ``None`` while a split commit still misses parts."""

    ack: int | None
    status: dict[str, Any]
    pending: tuple[int, int] | None = None  # (parts received, parts expected)
    replayed: bool = False
    missing: tuple[int, ...] = ()  # the numbers of the parts still missing


@dataclass(frozen=True)
class Renewal:
    token: str
    token_ttl: int


@dataclass(frozen=True)
class ScoResult:
    """One launchable item of the course and the learner's latest attempt on it."""

    item_identifier: str
    title: str
    scorm_type: str | None
    attempt_count: int
    latest: AttemptResult | None

    def to_dict(self) -> dict[str, Any]:
        latest = self.latest
        data: dict[str, Any] = {
            "item": self.item_identifier,
            "title": self.title,
            "scorm_type": self.scorm_type,
            "attempt_count": self.attempt_count,
        }
        if latest is None:
            return {**data, "completion_status": "not attempted", "success_status": "unknown"}
        attempt = latest.attempt
        status = _status(attempt)
        return {
            **data,
            "attempt_number": attempt.number,
            "attempt_status": status.pop("attempt"),
            **status,
            "total_seconds": attempt.columns.total_seconds,
            "location": attempt.columns.location,
            "suspend_data": attempt.columns.suspend_data,
            "started_at": attempt.started_at.isoformat(),
            "last_access_at": attempt.last_access_at.isoformat(),
            "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
            "interactions": [dataclasses.asdict(row) for row in latest.interactions],
            "objectives": [dataclasses.asdict(row) for row in latest.objectives],
        }


@dataclass(frozen=True)
class LearnerResults:
    course_id: str
    version_number: int
    learner: Learner
    summary: Summary
    scos: tuple[ScoResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "course_id": self.course_id,
            "course_version": self.version_number,
            "learner": {"id": self.learner.external_id, "name": self.learner.name},
            "summary": dataclasses.asdict(self.summary),
            "scos": [sco.to_dict() for sco in self.scos],
        }


class _Refused(Exception):
    """A refused batch, carried out of the transaction so it can drop the batch's parts."""

    def __init__(self, refusal: ServiceError) -> None:
        self.refusal = refusal


class TrackingService:
    def __init__(
        self,
        tokens: Tokens,
        tracking: TrackingRepository,
        courses: CourseService,
        models: CourseModels,
        *,
        default_policy: str,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._tokens = tokens
        self._tracking = tracking
        self._courses = courses
        self._models = models
        self._default_policy = default_policy
        self._now = clock or (lambda: datetime.now(UTC))

    # --- commit -------------------------------------------------------------------------

    def apply_commit(
        self,
        token: str,
        attempt_id: int,
        seq: int,
        changes: Sequence[Sequence[str]],
        final: bool = False,
        part: tuple[int, int] = (1, 1),
    ) -> CommitResult:
        """Apply one batch (see the module docstring for the order of the checks).

        :param changes: ``[element, value]`` pairs, or ``[element, chunk, "+"]`` to append
            to the value before (:mod:`tracking_body`).
        :raises TokenRefused: / :class:`TokenExpired` for the token,
            :class:`CommitRefused` for the protocol, :class:`InvalidInput` for a malformed
            request.
        """
        read = tracking_body.read_changes(changes)
        index, count = part
        if seq < 1 or not 1 <= index <= count <= MAX_PARTS:
            raise InvalidInput("seq must be at least 1 and part [i, n] within 1 <= i <= n.")
        claims = self._tokens.read_runtime(token)
        if claims.attempt_id != attempt_id:
            raise CommitRefused("forbidden", "This token is for another attempt.")
        refusal: ServiceError | None = None
        with self._tracking.unit(claims.registration_id) as unit:
            if unit is None:
                raise CommitRefused("forbidden", "This registration no longer exists.")
            try:
                return self._commit(unit, claims, seq, read, final, (index, count))
            except _Refused as refused:
                unit.drop_parts(attempt_id, seq)  # kept parts of a refused batch go too
                refusal = refused.refusal
        assert refusal is not None
        raise refusal

    def _commit(
        self,
        unit: TrackingUnit,
        claims: RuntimeClaims,
        seq: int,
        changes: list[Change],
        final: bool,
        part: tuple[int, int],
    ) -> CommitResult:
        registration = unit.registration
        if registration.launch_generation != claims.generation:
            raise CommitRefused("superseded", "This session was opened again elsewhere.")
        attempt = unit.attempt(claims.attempt_id)
        if attempt is None:
            raise CommitRefused("forbidden", "This attempt no longer exists.")
        if seq <= attempt.acked_seq:
            return CommitResult(seq, _status(attempt), replayed=True)
        if seq > attempt.acked_seq + 1:
            raise CommitRefused(
                "gap", f"Batch {attempt.acked_seq + 1} comes first.", expected=attempt.acked_seq + 1
            )
        review = claims.mode == "review"
        if attempt.status != "active" and not review:
            raise CommitRefused("closed", "This attempt's session has ended.")
        now = self._now()
        index, count = part
        if count > 1:
            stored = [change.to_json() for change in changes]
            unit.add_part(attempt.id, CommitPart(seq, index, count, final, stored), now)
            parts = [p for p in unit.parts(attempt.id, seq) if p.count == count]
            if len(parts) < count:
                missing = sorted(set(range(1, count + 1)) - {p.index for p in parts})
                return CommitResult(
                    None, _status(attempt), pending=(len(parts), count), missing=tuple(missing)
                )
            changes = [tracking_body.Change(*c[:2], len(c) == 3) for p in parts for c in p.changes]
            final = any(p.final for p in parts)
        try:
            pairs = tracking_body.assemble(changes)
        except InvalidInput as error:
            raise _Refused(error) from None
        if review:
            saved = unit.save_attempt(attempt.id, now=now, acked_seq=seq)
            relaxations: list[dict[str, Any]] = []
        else:
            model = self._models.get(registration)
            if model is None:
                raise CommitRefused("forbidden", "This course version no longer exists.")
            saved, relaxations = self._apply(unit, model, attempt, seq, pairs, final, now)
        unit.log_commit(attempt.id, seq, pairs, final=final, relaxations=relaxations, now=now)
        unit.drop_parts(attempt.id, seq)
        return CommitResult(seq, _status(saved))

    def _apply(
        self,
        unit: TrackingUnit,
        model: CourseModel,
        attempt: Attempt,
        seq: int,
        pairs: list[Pair],
        final: bool,
        now: datetime,
    ) -> tuple[Attempt, list[dict[str, Any]]]:
        version = model.version
        item = model.item(attempt.item_identifier)
        maps = initial_state.usable_data_maps(item, model.data_maps(item)) if item else []
        policy = self.policy_for(unit.registration)
        runtime = CMIRuntime(version, attempt.state, policy=policy, data_maps=maps)
        errors = runtime.apply_changes(pairs)
        if errors:
            error = errors[0]
            raise _Refused(
                CommitRefused(
                    "invalid",
                    f"{error.element}: {error.detail or error.condition}",
                    element=error.element,
                    code=str(error.code),
                )
            )
        values = runtime.values
        state = {k: v for k, v in values.items() if not k.startswith("adl.data.")}
        stores = {}
        for name, _ in pairs:
            match = _STORE.fullmatch(name)
            if match and int(match.group(1)) < len(maps) and name in values:
                stores[maps[int(match.group(1))].id] = values[name]

        facts = dict(attempt.session_facts)
        sco_set = set(facts.get("sco_set", []))
        sco_set.update(name for name, _ in pairs if not name.startswith("cmi.interactions."))
        facts.update(sco_set=sorted(sco_set), commits=int(facts.get("commits", 0)) + 1)
        status, nav_request, exit_value = "active", None, None
        reported = state
        if final:
            outcome = rules.end_session(
                version, state, status_at_launch=facts.get("status_at_launch") or "not attempted",
                sco_set=sco_set,
            )
            status = "suspended" if outcome.suspended else "finished"
            # A 2004 attempt that ended keeps its final values; one that goes on (suspended,
            # or any SCORM 1.2 session: 1.2 has no new attempts) keeps its next launch's.
            state = outcome.values if outcome.attempt_ended else rules.next_launch(outcome)
            reported = outcome.values
            nav_request = outcome.nav_request or None
            exit_value = outcome.exit
        columns = cmi_rows.columns(version, state)
        if exit_value is not None:
            columns = dataclasses.replace(columns, exit=exit_value)
        saved = unit.save_attempt(
            attempt.id, now=now, state=state, columns=columns, session_facts=facts,
            status=status, acked_seq=seq, nav_request=nav_request, finished=status == "finished",
        )
        if cmi_rows.touches(pairs, "cmi.interactions."):
            unit.replace_interactions(attempt.id, cmi_rows.interactions(version, state))
        if cmi_rows.touches(pairs, "cmi.objectives."):
            unit.replace_objectives(attempt.id, cmi_rows.objectives(version, state))
        preferences = unit.preferences()
        updated = cmi_rows.updated_preferences(version, preferences, pairs)
        if updated != preferences:
            unit.save_preferences(updated, now)
        if stores:
            registration = unit.registration
            scope = model.shared_scope(registration.id, registration.sequencing_state)
            unit.save_shared_stores(scope, stores, now, course_id=model.course_id)
        outcome = None
        if nav_request not in _ABANDONING:
            outcome = report_to_sequencing(
                unit, model, attempt.item_identifier, _as_reported(reported, sco_set), now
            )
        refresh_summary(unit, model, now, outcome)
        for relaxation in runtime.relaxations:
            log.info(
                "attempt %s, batch %s: %s has %d characters (limit %s), %s under the %s policy",
                attempt.id, seq, relaxation.element, relaxation.length, relaxation.limit,
                relaxation.action, relaxation.policy,
            )
        return saved, [dataclasses.asdict(r) for r in runtime.relaxations]

    def policy_for(self, registration: RegistrationState) -> str:
        return registration.compat_policy or self._default_policy

    # --- renew --------------------------------------------------------------------------

    def renew(self, token: str) -> Renewal:
        """A fresh token for the same session, while it is not superseded.

        An expired token is still renewed within a grace period, so a page that missed its
        renewal (asleep, throttled) saves again instead of retrying forever.
        """
        claims = self._tokens.read_runtime(token, renewing=True)
        generation = self._tracking.generation(claims.registration_id, claims.attempt_id)
        if generation is None:
            raise CommitRefused("forbidden", "This attempt no longer exists.")
        if generation != claims.generation:
            raise CommitRefused("superseded", "This session was opened again elsewhere.")
        return Renewal(self._tokens.runtime(claims), self._tokens.runtime_ttl)

    # --- results ------------------------------------------------------------------------

    def results(self, course_id: str, learner_id: str) -> LearnerResults:
        """The learner's results on the course, per launchable item.

        :raises CourseNotFound: / :class:`NotRegistered`.
        """
        self._courses.get(course_id)
        registration = self._tracking.find_registration(course_id, learner_id.strip())
        if registration is None:
            raise NotRegistered(course_id, learner_id)
        model = self._models.get(registration)
        if model is None:
            raise CourseNotFound(course_id)
        rows = self._tracking.results(registration.id)
        counts: dict[str, int] = {}
        details: dict[str, AttemptResult] = {}
        for attempt, detail in rows:
            counts[attempt.item_identifier] = counts.get(attempt.item_identifier, 0) + 1
            if detail is not None:
                details[attempt.item_identifier] = detail
        scos = [
            ScoResult(
                item.identifier, item.title, item.scorm_type,
                counts.get(item.identifier, 0), details.get(item.identifier),
            )
            for item in model.items
        ]
        return LearnerResults(
            course_id, registration.version_number, registration.learner,
            registration.summary, tuple(scos),
        )


def _as_reported(values: dict[str, str], sco_set: set[str]) -> dict[str, str]:
    """The values sequencing records for a SCO: an ``unknown`` status the LMS filled in (the
    evaluated default) is left out, so End Attempt can still complete or satisfy an activity
    whose content said nothing; one the SCO set itself stays (its own report)."""
    return {
        k: v for k, v in values.items()
        if not (k in _EVALUATED and v == "unknown" and k not in sco_set)
    }


_EVALUATED = ("cmi.completion_status", "cmi.success_status")


def _status(attempt: Attempt) -> dict[str, Any]:
    """The normalised summary a commit answers with."""
    columns = attempt.columns
    return {
        "attempt": attempt.status,
        "completion_status": columns.completion_status,
        "success_status": columns.success_status,
        "score": {
            "scaled": columns.score_scaled,
            "raw": columns.score_raw,
            "min": columns.score_min,
            "max": columns.score_max,
        },
        "progress_measure": columns.progress_measure,
        "total_time": columns.total_time,
        "nav_request": attempt.nav_request,
    }
