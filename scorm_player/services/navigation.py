"""Navigation between the items of a course: the table of contents and navigation requests.

The player asks three questions, through one small interface (:class:`NavigationPolicy`):

- ``toc(view)``: the default organization's item tree, each entry with the learner's status
  and whether a choice on it would be carried out now (``enabled``);
- ``controls(view)``: whether Previous and Continue are enabled now;
- ``request(view, request, target)``: what a navigation request leads to: an item to
  deliver, the end of the session, nothing (stay), or a refusal with a reason.

All are pure decisions over a :class:`RegistrationView` (the course model, the learner's
attempts, the current item and the launch mode); the launch (``services.launch``) carries a
delivery out. The player calls ``request`` freely to look ahead, so an implementation must
not change anything when asked.

:class:`DefaultPolicy` is what SCORM 1.2 LMSs do: flow in document order over launchable
items; choice of any enabled item; SCORM 1.2 ``adlcp:prerequisites`` (``aicc_script``,
cam-packaging.md section 5.1) decide which items are enabled. SCORM 2004 courses are run by
the sequencer (:mod:`scorm_player.services.sequencing`), another :class:`NavigationPolicy`
chosen per course by ``policy_for`` (:class:`NavigationService`).

Requests are the SCORM 2004 navigation vocabulary (SN book 4.4.2, RTE 4.2.30 ``adl.nav
.request``): ``start``, ``resumeAll``, ``continue``, ``previous``, ``choice``, ``jump``,
``exit``, ``exitAll``, ``suspendAll``, ``abandon``, ``abandonAll``; ``{target=ID}choice`` is
split into ``choice`` and ``ID`` by :func:`parse_request`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Literal, Protocol

from scorm_player.packaging import Item
from scorm_player.sequencing.engine import parse_nav_request
from scorm_player.sequencing.prerequisites import (
    Expression,
    PrerequisitesError,
    parse_prerequisites,
)
from scorm_player.services.course_model import CourseModel, CourseModels, shared_objectives
from scorm_player.services.courses import CourseService
from scorm_player.services.errors import CommitRefused, NothingToLaunch
from scorm_player.services.registrations import PREVIEW_PREFIX
from scorm_player.services.summary import refresh_summary
from scorm_player.services.tokens import RuntimeClaims, Tokens
from scorm_player.storage.records import Attempt, RegistrationState
from scorm_player.storage.tracking import TrackingRepository, TrackingUnit

log = logging.getLogger(__name__)

#: Every request a player or a SCO may make (SN book 4.4.2; RTE 4.2.30 adl.nav.request).
REQUESTS = (
    "start", "resumeAll", "continue", "previous", "choice", "jump",
    "exit", "exitAll", "suspendAll", "abandon", "abandonAll",
)
#: The statuses a TOC entry shows.
STATUSES = ("not attempted", "incomplete", "completed", "passed", "failed")
DONE = frozenset({"completed", "passed"})
#: ``adlnav:hideLMSUI`` values (cam-packaging.md 5.2) -> the player control they hide.
HIDE_LMS_UI = {
    "previous": "previous",
    "continue": "continue",
    "exit": "exit",
    "exitAll": "exit-all",
    "suspendAll": "suspend-all",
    "abandon": "abandon",
    "abandonAll": "abandon-all",
}

DecisionKind = Literal["deliver", "exit", "stay", "refused"]


class NavigationRefused(NothingToLaunch):
    """A navigation request the course's rules do not allow now (the message says why)."""


def parse_request(value: str) -> tuple[str | None, str | None]:
    """An ``adl.nav.request`` value as ``(request, target)``: ``{target=X}choice`` gives
    ``("choice", "X")``; ``_none_`` and blank give ``(None, None)``."""
    return parse_nav_request(value.strip())


# --- what a policy sees and says -------------------------------------------------------


@dataclass(frozen=True)
class RegistrationView:
    """A registration as navigation sees it.

    :ivar attempts: every attempt, oldest first (listed: without their CMI state).
    :ivar current_item: the item the learner is in (the last one delivered), if any.
    :ivar mode: ``normal``, ``review`` or ``browse``.
    :ivar sequencing: SCORM 2004: the stored tracking state of the activity tree (``None``
        before the first launch).
    :ivar objectives: SCORM 2004: the learner's shared objectives the course can reach.
    """

    model: CourseModel
    attempts: tuple[Attempt, ...] = ()
    current_item: str | None = None
    mode: str = "normal"
    registration_id: int = 0
    sequencing: Mapping[str, Any] | None = None
    objectives: Mapping[str, Any] | None = None

    def latest(self, identifier: str) -> Attempt | None:
        """The learner's latest attempt on an item."""
        found = None
        for attempt in self.attempts:
            if attempt.item_identifier == identifier:
                found = attempt
        return found

    def standing(self, identifier: str) -> Attempt | None:
        """The attempt an item's status comes from: the latest, unless it is not done
        (completed or passed) and an earlier one was; going back to a finished part does
        not undo it (nor lock what its completion opened)."""
        on_item = [a for a in self.attempts if a.item_identifier == identifier]
        if not on_item or item_status(on_item[-1]) in DONE:
            return on_item[-1] if on_item else None
        done = [a for a in on_item if item_status(a) in DONE]
        return done[-1] if done else on_item[-1]


@dataclass(frozen=True)
class TocEntry:
    """One item of the table of contents, in document order.

    :ivar visible: ``isvisible``: a hidden item is still sequenced, never shown.
    :ivar enabled: a choice on it would be carried out now.
    :ivar status: one of :data:`STATUSES` (a cluster's is rolled up from its items).
    """

    id: str
    title: str
    depth: int
    parent: str | None
    is_leaf: bool
    launchable: bool
    visible: bool
    enabled: bool
    status: str
    scorm_type: str | None = None
    jumpable: bool | None = None  # a jump request to it would be carried out (None: as enabled)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Decision:
    """What a navigation request leads to.

    ``deliver`` an ``item``; ``exit`` the course (``suspend``: keep the learner's place);
    ``stay`` where the learner is with nothing new delivered; ``refused``, with a
    ``message`` fit to show the learner.

    A sequenced course's decision also carries what carrying it out leaves behind:
    ``resume`` (the item resumes its suspended attempt, rather than starting a new one),
    the tracking state and shared objectives to store (``sequencing``, ``objectives``), and
    the SN ``exception`` code of a refusal. Only ``kind``, ``item``, ``message`` and
    ``suspend`` go to the page.
    """

    kind: DecisionKind
    item: str | None = None
    message: str = ""
    suspend: bool = False
    resume: bool | None = None
    sequencing: dict[str, Any] | None = field(default=None, repr=False)
    objectives: dict[str, Any] | None = field(default=None, repr=False)
    exception: str | None = None

    @classmethod
    def deliver(cls, item: str) -> Decision:
        return cls("deliver", item)

    @classmethod
    def refused(cls, message: str) -> Decision:
        return cls("refused", message=message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "item": self.item, "message": self.message,
            "suspend": self.suspend, "exception": self.exception,
        }


class NavigationPolicy(Protocol):
    """What decides navigation for a course; the SCORM 2004 sequencer implements it too.

    All methods are pure: the player asks ``controls`` which of Previous / Continue to
    enable, and the launch carries a ``deliver`` decision of ``request`` out.
    """

    def toc(self, view: RegistrationView) -> list[TocEntry]:
        """The default organization's items in document order, with status and enabled."""
        ...

    def controls(self, view: RegistrationView) -> Controls:
        """Whether the player enables Previous and Continue now."""
        ...

    def request(
        self, view: RegistrationView, request: str, target: str | None = None
    ) -> Decision:
        """What ``request`` (one of :data:`REQUESTS`) on ``target`` leads to now."""
        ...


@dataclass(frozen=True)
class Controls:
    """Which flow controls the player enables."""

    previous: bool
    continue_: bool


def looked_ahead_controls(policy: NavigationPolicy, view: RegistrationView) -> Controls:
    """Previous when it would deliver an item; Continue when it would deliver one or end
    the course: Continue stays enabled on the last part (SN:
    adl.nav.request_valid.continue; the CTS checks the control so)."""
    return Controls(
        previous=policy.request(view, "previous").kind == "deliver",
        continue_=policy.request(view, "continue").kind in ("deliver", "exit"),
    )


@dataclass(frozen=True)
class PlayerState:
    """What the player page shows around the SCO: TOC, controls and progress."""

    version: str
    mode: str
    current: str | None
    entries: tuple[TocEntry, ...]
    can_previous: bool
    can_continue: bool
    hidden_controls: tuple[str, ...]  # data-nav names hidden by the current item's hideLMSUI
    completed: int
    total: int
    course_done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "mode": self.mode,
            "current": self.current,
            "entries": [entry.to_dict() for entry in self.entries],
            "controls": {"previous": self.can_previous, "continue": self.can_continue},
            "hidden_controls": list(self.hidden_controls),
            "progress": {"completed": self.completed, "total": self.total},
            "course_done": self.course_done,
        }

    def tree(self) -> list[TocNode]:
        """The entries nested (for the template), hidden items left out."""
        nodes: dict[str, TocNode] = {}
        roots: list[TocNode] = []
        for entry in self.entries:
            node = TocNode(entry)
            nodes[entry.id] = node
            parent = nodes.get(entry.parent) if entry.parent else None
            if not entry.visible or (entry.parent and parent is None):
                continue  # hidden, or under a hidden cluster
            (parent.children if parent else roots).append(node)
        return roots


@dataclass(frozen=True)
class CourseProgress:
    """A course and how far the learner is (``None``: never launched, or a preview)."""

    course_id: str
    title: str
    completed: int | None = None
    total: int | None = None


@dataclass
class TocNode:
    entry: TocEntry
    children: list[TocNode] = field(default_factory=list)


# --- the default policy -----------------------------------------------------------------


def item_status(attempt: Attempt | None) -> str:
    """A TOC status from an attempt's normalised columns: success first, then completion.

    An item launched but not reported on counts as ``incomplete``.
    """
    if attempt is None:
        return "not attempted"
    columns = attempt.columns
    if columns.success_status in ("passed", "failed"):
        return columns.success_status
    if columns.completion_status == "completed":
        return "completed"
    return "incomplete"


def lesson_status(attempt: Attempt | None) -> str:
    """The SCORM 1.2 ``lesson_status`` a prerequisites script tests, from the normalised
    columns (``browsed`` reads as ``incomplete`` there); never launched: ``not attempted``."""
    if attempt is None:
        return "not attempted"
    columns = attempt.columns
    if columns.success_status in ("passed", "failed"):
        return columns.success_status
    if columns.completion_status in ("completed", "incomplete"):
        return columns.completion_status
    return "not attempted"


@lru_cache(maxsize=512)
def _parsed(text: str) -> Expression | None:
    try:
        return parse_prerequisites(text)
    except PrerequisitesError as error:
        log.warning("prerequisites %r ignored: %s", text, error)
        return None


class DefaultPolicy:
    """Flow in document order and free choice, gated by SCORM 1.2 prerequisites.

    - ``continue`` / ``previous``: the next / previous launchable item in document order
      (hidden items included: they are still sequenced, CAM 3.2), refused while it is
      locked; past the last item ``continue`` ends the session;
    - ``choice`` / ``jump``: an enabled launchable item, or a cluster's first;
    - ``start`` / ``resumeAll``: where the learner left off (:meth:`start_item`);
    - ``exitAll``, ``abandonAll``: end the session; ``suspendAll`` too, keeping the place;
      ``exit``, ``abandon``: stay, nothing new delivered.

    Review and browse launches ignore prerequisites.
    """

    def toc(self, view: RegistrationView) -> list[TocEntry]:
        organization = view.model.package.organization
        if organization is None:
            return []
        return [entry for item in organization.items for entry in self._entries(view, item, 0, None)]

    def controls(self, view: RegistrationView) -> Controls:
        return looked_ahead_controls(self, view)

    def _entries(
        self, view: RegistrationView, item: Item, depth: int, parent: str | None
    ) -> list[TocEntry]:
        """``item``'s entry, then its descendants' (a cluster's status is rolled up)."""
        if item.is_leaf:
            status = item_status(view.standing(item.identifier))
            enabled = item.is_launchable and self.enabled(view, item)
            below: list[TocEntry] = []
        else:
            below = [
                entry for child in item.children
                for entry in self._entries(view, child, depth + 1, item.identifier)
            ]
            children = [e for e in below if e.parent == item.identifier]
            status = _rolled_up([e.status for e in children if e.launchable or not e.is_leaf])
            enabled = any(e.enabled for e in children)
        entry = TocEntry(
            id=item.identifier, title=item.title, depth=depth, parent=parent,
            is_leaf=item.is_leaf, launchable=item.is_launchable, visible=item.is_visible,
            enabled=enabled, status=status, scorm_type=item.scorm_type,
        )
        return [entry, *below]

    def enabled(self, view: RegistrationView, item: Item) -> bool:
        """Whether the learner may open ``item`` now (its 1.2 prerequisites are met)."""
        if view.mode != "normal" or view.model.version != "1.2" or not item.prerequisites:
            return True
        if (item.prerequisites_type or "aicc_script").lower() != "aicc_script":
            return True
        expression = _parsed(item.prerequisites)
        return expression is None or expression.evaluate(self._status_of(view))

    def _status_of(self, view: RegistrationView) -> Callable[[str], str]:
        items = {item.identifier: item for item in _all_items(view.model)}

        def status_of(identifier: str) -> str:
            item = items.get(identifier)
            if item is None:
                return "not attempted"  # unknown identifiers: never attempted
            if item.is_leaf:
                return lesson_status(view.standing(identifier))
            rolled = _rolled_up([
                item_status(view.standing(leaf.identifier))
                for leaf in _leaves(item) if leaf.is_launchable
            ])
            return "completed" if rolled in DONE else rolled

        return status_of

    def request(
        self, view: RegistrationView, request: str, target: str | None = None
    ) -> Decision:
        if request in ("start", "resumeAll"):
            item = self.start_item(view)
            return Decision.deliver(item) if item else Decision.refused(_NOTHING)
        if request == "continue":
            return self._flow(view, forward=True)
        if request == "previous":
            return self._flow(view, forward=False)
        if request in ("choice", "jump"):
            return self._choice(view, target)
        if request in ("exitAll", "abandonAll"):
            return Decision("exit")
        if request == "suspendAll":
            return Decision("exit", suspend=True)
        if request in ("exit", "abandon"):
            return Decision("stay")
        return Decision.refused(f"Unknown navigation request {request!r}.")

    def start_item(self, view: RegistrationView) -> str | None:
        """Where a launch without a request opens (the learner's place):

        1. the current item, if its attempt is still open or it is not done yet;
        2. else the SCO of the latest open attempt (suspended, or left with data in it);
        3. else the first enabled item not done yet;
        4. else the current item, else the first item.
        """
        model = view.model
        launchable = {item.identifier: item for item in model.items}
        current = launchable.get(view.current_item or "")
        if current is not None:
            if _open(view.latest(current.identifier)) or item_status(
                view.standing(current.identifier)
            ) not in DONE:
                return current.identifier
        for attempt in sorted(view.attempts, key=lambda a: a.last_access_at, reverse=True):
            item = launchable.get(attempt.item_identifier)
            if item is not None and item.scorm_type == "sco" and _open(attempt):
                if view.latest(item.identifier) is attempt:
                    return item.identifier
        for item in model.items:
            done = item_status(view.standing(item.identifier)) in DONE
            if not done and self.enabled(view, item):
                return item.identifier
        if current is not None:
            return current.identifier
        return model.items[0].identifier if model.items else None

    def _flow(self, view: RegistrationView, *, forward: bool) -> Decision:
        items = list(view.model.items)
        if view.current_item is None or view.model.item(view.current_item) is None:
            return self.request(view, "start") if forward else Decision.refused(_FIRST)
        index = next(i for i, item in enumerate(items) if item.identifier == view.current_item)
        ahead = items[index + 1:] if forward else list(reversed(items[:index]))
        if not ahead:
            return Decision("exit") if forward else Decision.refused(_FIRST)
        if self.enabled(view, ahead[0]):
            return Decision.deliver(ahead[0].identifier)
        return Decision.refused(_locked(ahead[0]))

    def _choice(self, view: RegistrationView, target: str | None) -> Decision:
        item = next((i for i in _all_items(view.model) if i.identifier == target), None)
        if item is None:
            return Decision.refused(f"The course has no part {target!r}.")
        candidates = [leaf for leaf in _leaves(item) if leaf.is_launchable]
        for candidate in candidates:
            if self.enabled(view, candidate):
                return Decision.deliver(candidate.identifier)
        if not candidates:
            return Decision.refused(f"“{item.title}” cannot be opened.")
        return Decision.refused(_locked(candidates[0]))


_NOTHING = "The course has no part a learner can open."
_FIRST = "This is the first part of the course."


def _locked(item: Item) -> str:
    return f"“{item.title}” is not available yet: complete the parts it requires first."


def _open(attempt: Attempt | None) -> bool:
    """An attempt to resume: suspended, or left without Terminate with data in it."""
    if attempt is None:
        return False
    return attempt.status == "suspended" or (attempt.status == "active" and attempt.acked_seq > 0)


def _rolled_up(statuses: Sequence[str]) -> str:
    """A cluster's status: completed when all its items are done, incomplete once any was
    attempted, else not attempted."""
    if statuses and all(s in DONE for s in statuses):
        return "completed"
    if any(s != "not attempted" for s in statuses):
        return "incomplete"
    return "not attempted"


def _all_items(model: CourseModel) -> Iterator[Item]:
    organization = model.package.organization
    return organization.walk() if organization else iter(())


def _leaves(item: Item) -> list[Item]:
    return [node for node in item.walk() if node.is_leaf]


# --- the service ----------------------------------------------------------------------


PolicyFor = Callable[[CourseModel], NavigationPolicy]


def default_policy_for(model: CourseModel) -> NavigationPolicy:
    """:class:`DefaultPolicy` for every course (the container chooses the sequencer for
    SCORM 2004 courses: ``services.sequencing.policy_for``)."""
    return _DEFAULT


_DEFAULT = DefaultPolicy()


class NavigationService:
    """The player's questions, answered for a registration (by view or by run-time token).

    :param policy_for: the :class:`NavigationPolicy` of a course version.
    """

    def __init__(
        self,
        tokens: Tokens,
        tracking: TrackingRepository,
        models: CourseModels,
        courses: CourseService,
        *,
        policy_for: PolicyFor = default_policy_for,
    ) -> None:
        self._courses = courses
        self._tokens = tokens
        self._tracking = tracking
        self._models = models
        self._policy_for = policy_for

    def policy(self, model: CourseModel) -> NavigationPolicy:
        return self._policy_for(model)

    def decide(self, view: RegistrationView, request: str, target: str | None = None) -> Decision:
        """``request`` on ``target`` for this view (a request value is split first)."""
        if target is None and request.startswith("{"):
            parsed, target = parse_request(request)
            request = parsed or ""
        if request not in REQUESTS:
            return Decision.refused(f"Unknown navigation request {request!r}.")
        return self.policy(view.model).request(view, request, target)

    def state(self, view: RegistrationView) -> PlayerState:
        """The TOC, the controls the current item allows and the learner's progress."""
        policy = self.policy(view.model)
        entries = tuple(policy.toc(view))
        current = view.model.item(view.current_item) if view.current_item else None
        hidden = tuple(
            HIDE_LMS_UI[value] for value in (current.hide_lms_ui if current else [])
            if value in HIDE_LMS_UI
        )
        counted = [e for e in entries if e.launchable and e.visible]
        done = sum(1 for e in counted if e.status in DONE)
        controls = policy.controls(view)
        return PlayerState(
            version=view.model.version,
            mode=view.mode,
            current=view.current_item,
            entries=entries,
            can_previous=controls.previous,
            can_continue=controls.continue_,
            hidden_controls=hidden,
            completed=done,
            total=len(counted),
            course_done=bool(counted) and done == len(counted),
        )

    def left(self, launch_token: str) -> CourseProgress:
        """The course a launch link opens and the learner's progress, for the page shown
        after Exit.

        :raises TokenRefused: / :class:`TokenExpired`; :class:`CourseNotFound`.
        """
        claims = self._tokens.read_launch(launch_token)
        course = self._courses.get(claims.course_id)
        registration = None
        if not claims.learner_id.startswith(PREVIEW_PREFIX):
            registration = self._tracking.find_registration(course.id, claims.learner_id)
        found = self._tracking.overview(registration.id) if registration else None
        model = self._models.get(registration) if registration else None
        if found is None or model is None:
            return CourseProgress(course.id, course.title)
        state = self.state(self.view(model, found[0], found[1], found[0].current_item))
        return CourseProgress(course.id, model.title, state.completed, state.total)

    def view(
        self,
        model: CourseModel,
        registration: RegistrationState,
        attempts: Sequence[Attempt],
        current_item: str | None,
        mode: str = "normal",
        objectives: Mapping[str, Any] | None = None,
    ) -> RegistrationView:
        """A registration as navigation sees it; a sequenced course's shared objectives are
        read (unlocked) unless given."""
        if objectives is None and model.tree is not None:
            objectives = self._tracking.global_objectives(
                registration.learner.id, model.objective_scope(registration.id)
            )
        return RegistrationView(
            model, tuple(attempts), current_item, mode, registration.id,
            registration.sequencing_state, objectives,
        )

    def carry_out(self, token: str, request: str, target: str | None = None) -> Decision:
        """Carry out a request once the SCO has ended (exit, exitAll, suspendAll,
        abandon...): decide under the registration's lock and store what sequencing
        recorded. A ``deliver`` answer is then opened by a launch naming the item.

        :raises TokenRefused: / :class:`TokenExpired`; :class:`CommitRefused`.
        """
        claims = self._tokens.read_runtime(token)
        with self._tracking.unit(claims.registration_id) as unit:
            if unit is None:
                raise CommitRefused("forbidden", "This registration no longer exists.")
            view = self._checked_view(unit.registration, unit.attempts(), claims, unit)
            decision = self.decide(view, request, target)
            store_sequencing(unit, view.model, decision, datetime.now(UTC))
        return decision

    # --- authorised by a run-time token (the player page) --------------------------------

    def state_for_token(self, token: str) -> PlayerState:
        """The player state of the session a run-time token belongs to.

        :raises TokenRefused: / :class:`TokenExpired`; :class:`CommitRefused`
            (``superseded``, ``forbidden``) as the commit endpoint would.
        """
        return self.state(self._view(token))

    def check(self, token: str, request: str, target: str | None = None) -> Decision:
        """What ``request`` would lead to now for this session (the player asks first)."""
        return self.decide(self._view(token), request, target)

    def _view(self, token: str) -> RegistrationView:
        claims = self._tokens.read_runtime(token)
        found = self._tracking.overview(claims.registration_id)
        if found is None:
            raise CommitRefused("forbidden", "This registration no longer exists.")
        registration, attempts = found
        return self._checked_view(registration, attempts, claims)

    def _checked_view(
        self,
        registration: RegistrationState,
        attempts: list[Attempt],
        claims: RuntimeClaims,
        unit: TrackingUnit | None = None,
    ) -> RegistrationView:
        if registration.launch_generation != claims.generation:
            raise CommitRefused("superseded", "This session was opened again elsewhere.")
        attempt = next((a for a in attempts if a.id == claims.attempt_id), None)
        model = self._models.get(registration)
        if attempt is None or model is None:
            raise CommitRefused("forbidden", "This attempt no longer exists.")
        objectives = shared_objectives(unit, model) if unit is not None else None
        return self.view(
            model, registration, attempts, attempt.item_identifier, claims.mode, objectives
        )


def store_sequencing(
    unit: TrackingUnit, model: CourseModel, decision: Decision, now: datetime
) -> None:
    """Store the tracking state and shared objectives a sequenced decision left behind, and
    the course result they make (an exit may end attempts and roll them up)."""
    if decision.sequencing is None:
        return
    unit.save_sequencing_state(decision.sequencing, now)
    if decision.objectives is not None:
        unit.save_global_objectives(
            model.objective_scope(unit.registration_id), decision.objectives, now
        )
    refresh_summary(unit, model, now)
