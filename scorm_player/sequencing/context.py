"""What every SN process works on, and what the processes return.

``Context`` bundles the activity tree, the registration's tracking state, the shared
objective map, the random source used by selection/randomization and an optional clock.
The processes are plain functions of a ``Context``; they never do I/O.

Exception codes are the SN book's (Appendix C / table of sequencing exceptions), as strings
such as ``"NB.2.1-4"``.

``Context.fork()`` gives a look-ahead (``adl.nav.request_valid``, the TOC) a scratch context
in time proportional to what the look-ahead touches, not to the size of the tree: a
deep copy of a 1,000-activity state per look-ahead made the TOC quadratic.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import random
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from scorm_player.sequencing.state import ActivityState, ObjectiveState, TrackingState
from scorm_player.sequencing.tree import Activity, ActivityTree

FORWARD = "forward"
BACKWARD = "backward"

V = TypeVar("V")
_SCALARS = frozenset({str, int, float, bool, type(None)})
_SCALAR_NAMES = frozenset({"str", "int", "float", "bool", "None"})


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

    def fork(self) -> Context:
        """A scratch copy to run processes on without touching this context.

        Activity states and shared objectives are copied when a process first looks them up
        (``CopyOnRead``), the random source when one first draws from it, so a fork costs
        what the look-ahead reads, not the size of the tree. Forks of forks share nothing
        they could write either.
        """
        state = self.state
        fields = {
            f.name: clone(getattr(state, f.name))
            for f in dataclasses.fields(state)
            if f.name != "activities"
        }
        return Context(
            self.tree,
            TrackingState(
                activities=cast(dict[str, ActivityState], CopyOnRead(state.activities)),
                **fields,
            ),
            CopyOnRead(self.globals),
            cast(random.Random, LazyRandom(self.rng)),  # the source must not draw meanwhile
            self.clock,
            set(self.changed_globals),
        )

    def available_children(self, activity: Activity) -> list[Activity]:
        """The children considered for the current attempt (selection/randomization)."""
        ids = self.s(activity).available_children
        if ids is None:
            return list(activity.children)
        return [self.tree[i] for i in ids if i in self.tree]

    def is_available(self, activity: Activity) -> bool:
        """Whether ``activity`` is in its parent's available children (the root always is)."""
        parent = activity.parent
        if parent is None:
            return True
        ids = self.s(parent).available_children
        if ids is None:  # every child of the parent is available
            return True
        return activity.id in ids and activity.id in self.tree


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


# --- scratch copies for look-aheads -------------------------------------------------------


class CopyOnRead(MutableMapping[str, V], Generic[V]):
    """A private view of ``base``: a value is cloned the first time it is looked up.

    The processes mutate what ``ctx.s(activity)`` or ``ctx.globals.get(id)`` return, so a
    lookup (not only an assignment) takes the private copy. ``base`` is never written.
    """

    def __init__(self, base: Mapping[str, V]) -> None:
        self._base = base
        self._own: dict[str, V] = {}
        self._deleted: set[str] = set()

    def peek(self, key: str) -> V:
        """The current value without taking a private copy (for forks of this view)."""
        if key in self._own:
            return self._own[key]
        if key in self._deleted:
            raise KeyError(key)
        base = self._base
        return base.peek(key) if isinstance(base, CopyOnRead) else base[key]

    def __getitem__(self, key: str) -> V:
        own = self._own
        if key in own:
            return own[key]
        value = own[key] = clone(self.peek(key))
        return value

    def __setitem__(self, key: str, value: V) -> None:
        self._own[key] = value
        self._deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._own.pop(key, None)
        self._deleted.add(key)

    def __contains__(self, key: object) -> bool:
        if key in self._own:
            return True
        return key not in self._deleted and key in self._base

    def __iter__(self) -> Iterator[str]:
        for key in self._base:
            if key not in self._deleted:
                yield key
        for key in self._own:
            if key not in self._base:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LazyRandom:
    """A copy of a random source, taken when a look-ahead first draws from it.

    Selection and randomization draw only when an attempt on a cluster ends, which most
    look-aheads never reach; copying a Mersenne Twister state costs more than the rest of a
    typical look-ahead.
    """

    def __init__(self, source: random.Random | LazyRandom) -> None:
        self._source = source
        self._copy: random.Random | None = None

    def __getattr__(self, name: str) -> Any:
        if self._copy is None:
            self._copy = random.Random()
            self._copy.setstate(_random_state(self._source))
        return getattr(self._copy, name)


def _random_state(source: random.Random | LazyRandom) -> object:
    if isinstance(source, LazyRandom):
        if source._copy is not None:
            return source._copy.getstate()
        return _random_state(source._source)
    return source.getstate()


def clone(value: Any) -> Any:
    """A deep copy of plain tracking data (dataclasses, dicts, lists, scalars), made fast.

    ``copy.deepcopy`` spends most of its time on its memo; tracking data has no shared or
    cyclic parts, so a direct walk does. Fields declared with scalar types only are copied
    by reference. Anything else falls back to ``copy.deepcopy``.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        return {k: v if type(v) in _SCALARS else clone(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _SCALARS else clone(v) for v in value]
    if kind is tuple:
        return tuple([v if type(v) in _SCALARS else clone(v) for v in value])
    structured = _structured_fields(kind)
    if structured is None:
        return copy.deepcopy(value)
    fields = value.__dict__.copy()
    for name in structured:
        field_value = fields[name]
        if type(field_value) not in _SCALARS:
            fields[name] = clone(field_value)
    copied = object.__new__(kind)
    copied.__dict__ = fields
    return copied


@functools.cache
def _structured_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass not declared as scalars; None for anything else.

    Only a dataclass whose instances keep their fields in ``__dict__`` qualifies.
    """
    if not dataclasses.is_dataclass(kind) or hasattr(kind, "__slots__"):
        return None
    return tuple(
        f.name
        for f in dataclasses.fields(kind)
        if not set(str(f.type).replace(" ", "").split("|")) <= _SCALAR_NAMES
    )
