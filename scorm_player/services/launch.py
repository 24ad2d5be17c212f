"""Launch: from a signed link to an open attempt and everything the player page needs.

``open_launch`` (docs/runtime-protocol.md section 1) verifies the launch token, finds or creates
the learner and the registration (a learner keeps the course version they started), picks the
item, opens or resumes an attempt, bumps the registration's launch generation (so an older tab
becomes stale) and issues a run-time token, all under the registration's lock.

Which item: the one a link names (``item``, a host's deep link); else what a navigation
request leads to (``nav``: ``continue``, ``previous``, ``choice`` of ``item``...), decided by
the course's :class:`~scorm_player.services.navigation.NavigationPolicy` from the learner's
place (the registration's current item); else, with neither, where the learner left off
(``start``: :meth:`DefaultPolicy.start_item`). A refused request raises
:class:`NavigationRefused`. Launching an asset marks it completed (as LMSs do for SCORM 1.2
assets, and SCORM 2004 End Attempt does): an asset never reports anything itself.

Which attempt: an open attempt on the item is resumed (``entry=resume``; a session left
without Terminate that stored nothing keeps its entry); a finished SCORM 2004 attempt is
followed by a new attempt (``entry=ab-initio``, fresh data), while a SCORM 1.2 one is
continued (``entry`` empty, data and total time kept: 1.2 has no attempts). ``mode="review"`` on a completed registration
reopens the item's latest finished attempt with ``mode=review, credit=no-credit``; the
tracking service then stores nothing for it. ``mode="browse"`` is a designer's preview
(:meth:`LaunchService.make_preview_token`): ``mode=browse, credit=no-credit`` on a registration
of its own, flagged ``preview``, that never appears in learners' results; prerequisites do
not apply to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scorm_player.datamodel import DataMap, Version
from scorm_player.packaging import Item
from scorm_player.services import cmi_rows, initial_state, sequencing
from scorm_player.services.course_model import CourseModel, CourseModels, shared_objectives
from scorm_player.services.courses import CourseService
from scorm_player.services.errors import CourseNotFound, InvalidInput, NothingToLaunch
from scorm_player.services.navigation import (
    Decision,
    NavigationRefused,
    NavigationService,
    PlayerState,
    RegistrationView,
    store_sequencing,
)
from scorm_player.services.registrations import PREVIEW_PREFIX, RegistrationService
from scorm_player.services.tokens import LAUNCH_TTL, ContentScope, RuntimeClaims, Tokens
from scorm_player.storage.records import Attempt, Learner, Preferences, RegistrationState
from scorm_player.storage.tracking import TrackingRepository, TrackingUnit

MODES = ("normal", "review", "browse")
OPEN = ("active", "suspended")


@dataclass(frozen=True)
class LaunchContext:
    """An opened launch: what ``templates/player/player.html`` and its JSON blob show."""

    version: Version
    course_id: str
    course_title: str
    version_number: int
    registration_id: int
    learner: Learner
    item_identifier: str
    item_title: str
    launch_url: str  # relative to the package root (parameters joined), or an absolute URL
    attempt_id: int
    attempt_number: int
    acked_seq: int
    mode: str
    resumed: bool
    state: dict[str, str]
    data_maps: tuple[DataMap, ...]
    policy: str
    token: str
    token_ttl: int
    content_scope: str
    scorm_type: str | None = None  # sco | asset
    preview: bool = False  # a designer's preview (browse mode)
    launch_window: str | None = None  # the course's default window: same | new (None: same)
    player: PlayerState | None = field(default=None, repr=False)  # TOC, controls, progress


class LaunchService:
    def __init__(
        self,
        tokens: Tokens,
        courses: CourseService,
        registrations: RegistrationService,
        tracking: TrackingRepository,
        models: CourseModels,
        navigation: NavigationService,
        *,
        default_policy: str,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._navigation = navigation
        self._tokens = tokens
        self._courses = courses
        self._registrations = registrations
        self._tracking = tracking
        self._models = models
        self._default_policy = default_policy
        self._now = clock or (lambda: datetime.now(UTC))

    def make_link_token(
        self, course_id: str, learner_id: str, learner_name: str, *, expires_in: int = LAUNCH_TTL
    ) -> str:
        """A launch token for ``/launch/<token>``.

        :raises CourseNotFound: no such course.
        """
        if not learner_id.strip():
            raise InvalidInput("A learner id is required.")
        if learner_id.strip().startswith(PREVIEW_PREFIX):
            raise InvalidInput(f"Learner ids starting with {PREVIEW_PREFIX!r} are reserved.")
        if expires_in <= 0:
            raise InvalidInput("A launch link must live at least one second.")
        self._courses.get(course_id)
        return self._tokens.launch(
            course_id, learner_id.strip(), learner_name.strip(), expires_in=expires_in
        )

    def make_preview_token(self, course_id: str, username: str, *, expires_in: int = 3600) -> str:
        """A launch token for a designer's browse-mode preview of the course's latest version.

        :raises CourseNotFound: no such course.
        """
        if not username.strip():
            raise InvalidInput("A user name is required.")
        self._courses.get(course_id)
        name = f"{username.strip()} (preview)"
        return self._tokens.launch(
            course_id, PREVIEW_PREFIX + username.strip(), name, expires_in=expires_in
        )

    def open_launch(
        self,
        token: str,
        *,
        mode: str = "normal",
        item: str | None = None,
        nav: str | None = None,
    ) -> LaunchContext:
        """Open (or resume) the attempt a launch link leads to.

        :param item: the item to open; with ``nav``, the target of a ``choice``.
        :param nav: a navigation request (``continue``, ``previous``, ``choice``...).
        :raises TokenRefused: (or :class:`TokenExpired`) a bad or expired link.
        :raises CourseNotFound: the course was deleted.
        :raises NothingToLaunch: no launchable item (or not ``item``);
            :class:`NavigationRefused` when the course's rules refuse ``nav``.
        """
        if mode not in MODES:
            raise InvalidInput(f"Unknown launch mode {mode!r}.")
        claims = self._tokens.read_launch(token)
        preview = claims.learner_id.startswith(PREVIEW_PREFIX)
        if mode == "browse" and not preview:
            raise InvalidInput("Browse mode is for designers' previews, from the course page.")
        if preview:
            mode = "browse"
        registration = self._registrations.register(
            claims.course_id, claims.learner_id, claims.learner_name, preview=preview
        )
        model = self._models.get(registration)
        if model is None:
            raise CourseNotFound(claims.course_id)
        course = self._courses.get(claims.course_id)
        with self._tracking.unit(registration.id) as unit:
            if unit is None:  # deleted between the two transactions
                raise CourseNotFound(claims.course_id)
            context = self._open(unit, model, mode, item, nav)
        return dataclasses.replace(context, preview=preview, launch_window=course.launch_window)

    # --- inside the registration's lock ----------------------------------------------------

    def _open(
        self, unit: TrackingUnit, model: CourseModel, mode: str, wanted: str | None,
        nav: str | None,
    ) -> LaunchContext:
        now = self._now()
        attempts = unit.attempts()
        completed = unit.registration.summary.completion_status == "completed"
        view_mode = "normal" if mode == "review" and not completed else mode
        view = self._navigation.view(
            model, unit.registration, attempts, unit.registration.current_item, view_mode,
            shared_objectives(unit, model),
        )
        item, decision = self._pick_item(view, wanted, nav)
        store_sequencing(unit, model, decision, now)
        on_item = [a for a in attempts if a.item_identifier == item.identifier]
        preferences = unit.preferences()
        learner = unit.registration.learner
        finished = [a for a in on_item if a.status == "finished"]
        review = mode == "review" and completed and bool(finished)
        if review:
            attempt = unit.attempt(finished[-1].id)
            assert attempt is not None
            state = initial_state.resumed_state(
                model.version, attempt.state, learner, "review", preferences, entry="",
                settle=False,
            )
            resumed = True
        else:
            mode = "browse" if mode == "browse" else "normal"
            continued = _continued(model, on_item, decision.resume)
            for left in (a for a in on_item if a.status in OPEN and a not in continued):
                unit.save_attempt(left.id, now=now, status="finished", finished=True)
            attempt, state, resumed = self._open_attempt(
                unit, model, item, continued, preferences, now, mode,
                self._sequenced_values(model, unit, item),
            )
            if item.scorm_type != "sco" and attempt.columns.completion_status != "completed":
                attempt = self._complete_asset(unit, model, attempt, now)
                sequencing.report_to_sequencing(
                    unit, model, item.identifier, {"cmi.completion_status": "completed"}, now
                )
        generation = unit.start_launch(item.identifier, now)
        player = self._navigation.state(  # what this launch recorded included
            self._navigation.view(
                model, unit.registration, unit.attempts(), item.identifier, mode,
                shared_objectives(unit, model),
            )
        )
        data_maps = initial_state.usable_data_maps(item, model.data_maps(item))
        registration = unit.registration
        scope = model.shared_scope(registration.id, registration.sequencing_state)
        stores = unit.shared_stores(scope, [m.id for m in data_maps])
        return LaunchContext(
            version=model.version,
            course_id=model.course_id,
            course_title=model.title,
            version_number=model.version_number,
            registration_id=registration.id,
            learner=learner,
            item_identifier=item.identifier,
            item_title=item.title,
            launch_url=item.launch_url or "",
            attempt_id=attempt.id,
            attempt_number=attempt.number,
            acked_seq=attempt.acked_seq,
            mode=mode,
            resumed=resumed,
            state=initial_state.client_state(state, data_maps, stores),
            data_maps=tuple(data_maps),
            policy=self.policy_for(registration),
            token=self._tokens.runtime(
                RuntimeClaims(registration.id, attempt.id, generation, mode)
            ),
            token_ttl=self._tokens.runtime_ttl,
            content_scope=self._tokens.content(
                ContentScope(model.course_id, model.version_number, registration.id)
            ),
            scorm_type=item.scorm_type,
            player=player,
        )

    def policy_for(self, registration: RegistrationState) -> str:
        return registration.compat_policy or self._default_policy

    def _pick_item(
        self, view: RegistrationView, wanted: str | None, nav: str | None
    ) -> tuple[Item, Decision]:
        """The item to open and the decision that leads there.

        A link naming an item opens it; in a sequenced course that is the activity already
        delivered (the player carried a request out), or else a choice of it, except in a
        designer's preview (browse), which opens any item it names.
        """
        model = view.model
        if not model.items:
            raise NothingToLaunch("The course has no item a learner can launch.")
        if nav is None and wanted is not None:
            item = model.item(wanted)
            if item is None:
                raise NothingToLaunch(f"The course has no launchable item {wanted!r}.")
            delivered = (view.sequencing or {}).get("current_activity") == wanted
            if model.tree is None or delivered or view.mode == "browse":
                return item, Decision.deliver(wanted)
            nav = "choice"
        decision = self._navigation.decide(view, nav or "start", wanted)
        if decision.kind != "deliver" or decision.item is None:
            raise NavigationRefused(decision.message or "There is nothing to open for this request.")
        found = model.item(decision.item)
        if found is None:
            raise NothingToLaunch(f"The course has no launchable item {decision.item!r}.")
        return found, decision

    def _sequenced_values(
        self, model: CourseModel, unit: TrackingUnit, item: Item
    ) -> dict[str, str]:
        """What sequencing adds to a new attempt's state: the objectives' values read from
        the shared objectives they map to."""
        if model.tree is None:
            return {}
        view = self._navigation.view(
            model, unit.registration, (), item.identifier,
            objectives=shared_objectives(unit, model),
        )
        return sequencing.SequencingPolicy(model.tree).initial_cmi(view, item.identifier)

    def _complete_asset(
        self, unit: TrackingUnit, model: CourseModel, attempt: Attempt, now: datetime
    ) -> Attempt:
        """An asset is completed by being launched (it has no API to say so); what a
        mislabelled SCO reports later replaces this."""
        columns = dataclasses.replace(attempt.columns, completion_status="completed")
        saved = unit.save_attempt(attempt.id, now=now, columns=columns)
        attempts = unit.attempts()
        latest = {a.item_identifier: a.columns for a in attempts}  # oldest first: last wins
        total = sum(a.columns.total_seconds for a in attempts)
        unit.save_summary(cmi_rows.summarise(model.sco_items, latest, total), now)
        return saved

    def _open_attempt(
        self,
        unit: TrackingUnit,
        model: CourseModel,
        item: Item,
        open_attempts: list[Attempt],
        preferences: Preferences,
        now: datetime,
        mode: str = "normal",
        sequenced: dict[str, str] | None = None,
    ) -> tuple[Attempt, dict[str, str], bool]:
        version = model.version
        learner = unit.registration.learner
        if open_attempts:
            stored = unit.attempt(open_attempts[-1].id)
            assert stored is not None
            names = cmi_rows.NAMES[version]
            left_untouched = stored.status == "active" and not stored.session_facts.get("commits")
            if stored.status == "finished":  # SCORM 1.2: entry was set at LMSFinish
                entry = stored.state.get(names.entry, "")
            elif left_untouched:
                entry = stored.state.get(names.entry, "ab-initio")
            else:
                entry = "resume"
            state = initial_state.resumed_state(
                version, stored.state, learner, mode, preferences, entry=entry
            )
            # Shared objectives may have changed while the attempt was suspended.
            state.update(initial_state.objective_values(state, sequenced or {}))
            attempt = unit.save_attempt(
                stored.id,
                now=now,
                state=state,
                columns=cmi_rows.columns(version, state),
                session_facts=_session_facts(version, state),
                status="active",
            )
            return attempt, state, True
        state = initial_state.new_attempt_state(version, item, learner, mode, preferences)
        state.update(initial_state.objective_values(state, sequenced or {}))
        attempt = unit.add_attempt(
            item.identifier,
            state=state,
            columns=cmi_rows.columns(version, state),
            session_facts=_session_facts(version, state),
            now=now,
        )
        unit.replace_objectives(attempt.id, cmi_rows.objectives(version, state))
        return attempt, state, False


def _continued(
    model: CourseModel, on_item: list[Attempt], resume: bool | None = None
) -> list[Attempt]:
    """The attempts a launch of an item continues: open ones; in SCORM 1.2 also the latest
    finished one, since a 1.2 SCO's data carries over from session to session (entry ``""``,
    total time summed: RTE 3.4.4) and only a 2004 attempt ends. When sequencing began a new
    attempt on the activity (``resume`` false), none is continued."""
    if resume is False:
        return []
    continued = [a for a in on_item if a.status in OPEN]
    if not continued and model.version == "1.2" and on_item:
        continued = [on_item[-1]]
    return continued


def _session_facts(version: Version, state: dict[str, str]) -> dict[str, object]:
    """What the LMS rules need at Terminate about the session now starting."""
    status = state.get("cmi.core.lesson_status", "not attempted") if version == "1.2" else None
    return {"status_at_launch": status, "sco_set": [], "commits": 0}
