"""``CMIRuntime``: the run-time API (RTE 3.1 / 1.2 RTE 3.3) over a local copy of the data.

Theory of operation. The runtime holds a flat store (``{concrete path: value}`` plus a
``_count`` per concrete collection path) and a state: ``not_initialized`` -> ``running`` ->
``terminated``. The eight API methods only ever return strings and never raise; every rule
lives in the element table and the types, walked by ``_get``/``_set``, which raise
:class:`DataModelError` with a version-neutral condition that the version then turns into
its error code (:mod:`errors`).

Check order (rte-api.md section 3, confirmed by the vectors):

- GetValue: state -> empty name -> undefined -> keyword (``_children`` / ``_count`` /
  ``_version``, after its indexes) -> index out of range -> write-only -> shared data not
  readable -> not initialized (2004 403; 1.2 ``""``).
- SetValue: state -> empty name -> undefined -> keyword -> read-only -> index (syntax, gap,
  not appendable) -> dependency (408) -> pattern count -> type (406) -> range (407) ->
  unique / write-once / repeated pattern (351) -> SPM (policy).

The same ``_set`` runs the SCO's SetValue, and :meth:`CMIRuntime.apply_changes`, which the
server uses to re-validate a client's batch (all or nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from scorm_player.datamodel import responses, rules
from scorm_player.datamodel.elements_12 import MODEL_12
from scorm_player.datamodel.elements_2004 import MODEL_2004, SHARED_DATA
from scorm_player.datamodel.errors import (
    DataModelError,
    Version,
    error_code,
    error_string,
)
from scorm_player.datamodel.policy import PolicyLike, Relaxation, get_policy
from scorm_player.datamodel.schema import Access, Address, DataModel, Element
from scorm_player.datamodel.types import check_value, measured_length

Phase = Literal["not_initialized", "running", "terminated"]
NavValidity = Callable[[str, "str | None"], "str | None"]

MODELS: dict[Version, DataModel] = {"1.2": MODEL_12, "2004": MODEL_2004}
_TEXT_TYPES = ("characterstring", "localized_string_type")
#: Identifiers the LMS may load decoded, spaces and all: a manifest's ``objectiveID="obj%201"``
#: is the objective ``obj 1`` to content (CTS OB-12a). A learner id with a space is not.
_DECODED_URI_ELEMENTS = ("cmi.objectives.n.id",)
_INTERACTION_TYPE = "cmi.interactions.n.type"
_SHARED_STORE = SHARED_DATA.store_pattern  # "adl.data.n.store", tested on each Get/SetValue
_DIAGNOSTIC_LIMIT = 255


@dataclass(frozen=True)
class DataMap:
    """An ``adl.data`` record from the manifest's ``adlcp:map`` (2004 4th Ed.)."""

    id: str
    store: str | None = None
    read_shared_data: bool = True
    write_shared_data: bool = True


@dataclass(frozen=True)
class ChangeError:
    """Why :meth:`CMIRuntime.apply_changes` refused a batch."""

    element: str
    value: str
    code: int
    condition: str
    detail: str = ""


@dataclass
class _Store:
    values: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def copy(self) -> _Store:
        return _Store(dict(self.values), dict(self.counts))


class CMIRuntime:
    """One SCO session's API object, pure Python.

    :param version: ``"1.2"`` or ``"2004"``.
    :param state: the attempt's CMI state the server sends at launch, as ``{element: value}``
        in dot notation (``cmi.learner_id``, ``cmi.objectives.0.id``, ``adl.data.0.id`` ...).
        Loaded as the LMS: access rules and SPMs do not apply, types do.
    :param policy: ``"lenient"`` (default), ``"strict"`` or a :class:`Policy`.
    :param data_maps: ``adl.data`` records with their read/write permissions.
    :param nav_validity: ``(request, target) -> "true" | "false" | "unknown" | None`` for
        ``adl.nav.request_valid.*`` (``None``: the stored value or ``unknown``).
    :param on_commit: called with the changed values at Commit/Terminate; ``False`` means the
        data could not be persisted (391 / 111).
    """

    def __init__(
        self,
        version: Version,
        state: Mapping[str, str] | None = None,
        *,
        policy: PolicyLike = None,
        data_maps: Iterable[DataMap] = (),
        nav_validity: NavValidity | None = None,
        on_commit: Callable[[dict[str, str]], bool] | None = None,
    ) -> None:
        self.version: Version = version
        self.model = MODELS[version]
        self.policy = get_policy(policy)
        self.phase: Phase = "not_initialized"
        self.relaxations: list[Relaxation] = []
        self.outcome: rules.SessionOutcome | None = None
        self._store = _Store()
        self._changes: dict[str, str] = {}
        self._sco_set: set[str] = set()
        self._no_read: set[int] = set()
        self._no_write: set[int] = set()
        self._nav_validity = nav_validity
        self._on_commit = on_commit
        self._last: DataModelError = DataModelError("NO_ERROR")
        for name, value in (state or {}).items():
            self._load(name, value)
        collection = SHARED_DATA.collection
        for index, data_map in enumerate(data_maps, start=self._store.counts.get(collection, 0)):
            self._load(f"{collection}.{index}.{SHARED_DATA.id}", data_map.id)
            if data_map.store is not None:
                self._load(f"{collection}.{index}.{SHARED_DATA.store}", data_map.store)
            if not data_map.read_shared_data:
                self._no_read.add(index)
            if not data_map.write_shared_data:
                self._no_write.add(index)
        self._launch_values = dict(self._store.values)
        self._status_at_launch = self._launch_values.get("cmi.core.lesson_status", "not attempted")

    # --- the API ------------------------------------------------------------------------

    def initialize(self, argument: str = "") -> str:
        """``Initialize("")`` / ``LMSInitialize("")``."""
        return self._call(self._initialize, argument)

    def terminate(self, argument: str = "") -> str:
        """``Terminate("")`` / ``LMSFinish("")``: commits, then applies the LMS rules."""
        return self._call(self._terminate, argument)

    def commit(self, argument: str = "") -> str:
        """``Commit("")`` / ``LMSCommit("")``."""
        return self._call(self._commit, argument)

    def get_value(self, element: str) -> str:
        """``GetValue(element)``: the value, or ``""`` with the error code set."""
        if self.phase != "running":
            return self._refuse("GET_BEFORE_INITIALIZE", "GET_AFTER_TERMINATE", "")
        return self._guarded(lambda: self._get(_text(element)), "")

    def set_value(self, element: str, value: str) -> str:
        """``SetValue(element, value)``: ``"true"`` or ``"false"`` with the error code set."""
        if self.phase != "running":
            return self._refuse("SET_BEFORE_INITIALIZE", "SET_AFTER_TERMINATE", "false")
        return self._guarded(lambda: self._sco_set_value(_text(element), _text(value)), "false")

    def get_last_error(self) -> str:
        """``GetLastError()``: the code of the last call, as a string."""
        return str(error_code(self.version, self._last.condition))

    def get_error_string(self, code: str) -> str:
        """``GetErrorString(code)``: the standard text, ``""`` for an unknown code."""
        return error_string(self.version, _text(code))

    def get_diagnostic(self, code: str) -> str:
        """``GetDiagnostic(code)``: detail on the last error (``""`` or its code), else the
        code's text; at most 255 characters."""
        code = _text(code)
        if code in ("", self.get_last_error()):
            text = self._last.detail or error_string(self.version, self.get_last_error())
        else:
            text = error_string(self.version, code)
        return text[:_DIAGNOSTIC_LIMIT]

    # --- for the server and the adapter ----------------------------------------------------

    @property
    def values(self) -> dict[str, str]:
        """A copy of every stored value, by concrete path."""
        return dict(self._store.values)

    def count(self, collection_path: str) -> int:
        """``_count`` of a concrete collection path (``cmi.interactions.0.objectives``)."""
        return self._store.counts.get(collection_path, 0)

    def take_changes(self) -> dict[str, str]:
        """The values the SCO set since the last call, in the order first set."""
        changes, self._changes = self._changes, {}
        return changes

    def apply_changes(
        self,
        changes: Mapping[str, str] | Iterable[tuple[str, str]],
        *,
        policy: PolicyLike = None,
    ) -> list[ChangeError]:
        """Re-validate a client's batch with the SCO's rules, in order; apply all or nothing.

        :param changes: ``{element: value}`` or ``[(element, value), ...]`` in SetValue order.
        :returns: ``[]`` when applied, else the first refused change.
        """
        pairs = list(changes.items()) if isinstance(changes, Mapping) else list(changes)
        saved_policy = self.policy
        self.policy = get_policy(policy) if policy is not None else saved_policy
        work = self._store.copy()
        try:
            for name, value in pairs:
                try:
                    self._set(work, _text(name), _text(value))
                except DataModelError as error:
                    code = error_code(self.version, error.condition)
                    return [ChangeError(name, value, code, error.condition, error.detail)]
        finally:
            self.policy = saved_policy
        self._store = work
        return []

    # --- state machine ------------------------------------------------------------------

    def _call(self, method: Callable[[str], None], argument: str) -> str:
        def run() -> str:
            method(_text(argument))
            return "true"

        return self._guarded(run, "false")

    def _guarded(self, action: Callable[[], str], failed: str) -> str:
        """Run one API call: its error (or 0) becomes the last error; nothing escapes."""
        try:
            result = action()
        except DataModelError as error:
            self._last = error
            return failed
        except Exception as error:  # noqa: BLE001 - the API never throws into content
            self._last = DataModelError("GENERAL_EXCEPTION", repr(error)[:200])
            return failed
        self._last = DataModelError("NO_ERROR")
        return result

    def _refuse(self, before: str, after: str, result: str) -> str:
        condition = before if self.phase == "not_initialized" else after
        self._last = DataModelError(condition, f"the session is {self.phase.replace('_', ' ')}")
        return result

    def _check_state(self, argument: str, before: str, after: str) -> None:
        if argument != "":
            raise DataModelError("ARGUMENT_ERROR", 'the argument must be ""')
        if self.phase == "not_initialized":
            raise DataModelError(before, "Initialize has not been called")
        if self.phase == "terminated":
            raise DataModelError(after, "the session has terminated")

    def _initialize(self, argument: str) -> None:
        if argument != "":
            raise DataModelError("ARGUMENT_ERROR", 'the argument must be ""')
        if self.phase == "running":
            raise DataModelError("ALREADY_INITIALIZED", "Initialize was already called")
        if self.phase == "terminated":
            raise DataModelError("INITIALIZE_AFTER_TERMINATE", "the session has terminated")
        self.phase = "running"

    def _commit(self, argument: str) -> None:
        self._check_state(argument, "COMMIT_BEFORE_INITIALIZE", "COMMIT_AFTER_TERMINATE")
        if not self._persist():
            raise DataModelError("COMMIT_FAILED", "the LMS could not store the data")

    def _terminate(self, argument: str) -> None:
        self._check_state(argument, "TERMINATE_BEFORE_INITIALIZE", "TERMINATE_AFTER_TERMINATE")
        if not self._persist():
            raise DataModelError("TERMINATION_FAILED", "the LMS could not store the data")
        self.phase = "terminated"
        self.outcome = rules.end_session(
            self.version, self._store.values, status_at_launch=self._status_at_launch,
            sco_set=self._sco_set, launch_values=self._launch_values,
        )

    def _persist(self) -> bool:
        if self._on_commit is None:
            return True
        return self._on_commit(dict(self._changes)) is not False

    # --- GetValue -----------------------------------------------------------------------

    def _get(self, name: str) -> str:
        if name == "":
            raise DataModelError("EMPTY_GET_NAME", "no element name")
        address = self.model.resolve(name)
        for level in address.levels:
            if address.bad_index or level.index >= self._store.counts.get(level.path, 0):
                raise DataModelError("INDEX_OUT_OF_RANGE", f"{name[:60]}: no record {level.index}")
        if address.keyword is not None:
            return self._keyword(address)
        element = self.model.elements[address.pattern]
        if element.access is Access.WRITE_ONLY:
            raise DataModelError("WRITE_ONLY", f"{address.pattern} is write-only")
        shared_store = address.pattern == _SHARED_STORE
        if shared_store and address.indexes[0] in self._no_read:
            raise DataModelError("WRITE_ONLY", "the shared data map is not readable")
        value = self._store.values.get(address.path)
        if value == "" and shared_store and SHARED_DATA.empty_is_unset:
            value = None
        if element.computed and self._nav_validity is not None:
            request = address.pattern.rsplit(".", 1)[1]
            value = self._nav_validity(request, address.argument) or value
        evaluation = rules.EVALUATIONS_2004.get(address.pattern) if self.version == "2004" else None
        if evaluation is not None:
            value = rules.evaluate(evaluation, value, self._store.values)
        if value is None:
            value = element.default
        if value is None:
            if self.version == "1.2":
                return ""
            raise DataModelError("VALUE_NOT_INITIALIZED", f"{address.pattern} has no value yet")
        return value

    def _keyword(self, address: Address) -> str:
        pattern, keyword = address.pattern, address.keyword
        collection = self.model.collections.get(pattern)
        if keyword == "_version":
            if pattern != "cmi":
                raise DataModelError("NO_VERSION", "only cmi._version exists")
            return self.model.data_model_version
        if keyword == "_children":
            children = self.model.groups.get(pattern)
            if children is None and collection is not None and collection.show_children:
                children = collection.children
            if children is None:
                raise DataModelError("NO_CHILDREN", f"{pattern} has no _children")
            return ",".join(children)
        if collection is None:
            raise DataModelError("NO_COUNT", f"{pattern} is not a collection")
        return str(self._store.counts.get(address.path, 0))

    # --- SetValue -----------------------------------------------------------------------

    def _sco_set_value(self, name: str, value: str) -> str:
        path, stored, reset = self._set(self._store, name, value)
        if reset:
            self._changes = {k: v for k, v in self._changes.items() if not k.startswith(reset)}
        self._changes[path] = stored
        self._sco_set.add(path)
        return "true"

    def _set(
        self, store: _Store, name: str, value: str
    ) -> tuple[str, str, tuple[str, ...]]:
        """Check and store one SCO write.

        :returns: the path, the value stored, and the path prefixes the write erased (an
            interaction whose type changed loses its patterns and response).
        """
        if name == "":
            raise DataModelError("EMPTY_SET_NAME", "no element name")
        address = self.model.resolve(name)
        if address.keyword is not None:
            raise DataModelError("KEYWORD_IS_READ_ONLY", f"{address.keyword} is a keyword")
        element = self.model.elements[address.pattern]
        if element.access is Access.READ_ONLY:
            raise DataModelError("READ_ONLY", f"{address.pattern} is read-only")
        if address.pattern == _SHARED_STORE and address.indexes[0] in self._no_write:
            raise DataModelError("READ_ONLY", "the shared data map is not writable")
        self._check_indexes(store, address)
        for required in element.requires:
            if address.concrete(required) not in store.values:
                raise DataModelError("DEPENDENCY_NOT_ESTABLISHED", f"set {required} first")
        kind = self._interaction_type(store, address, element)
        self._check_pattern_count(store, address, kind)
        over = self._validate(address, element, value, kind)
        value = self._canonical(element, value, kind)
        self._check_unique(store, address, element, value, kind)
        stored = self._apply_spm(address, element, value, over)
        return address.path, stored, self._write(store, address, stored)

    def _check_indexes(self, store: _Store, address: Address) -> None:
        for level in address.levels:
            count = store.counts.get(level.path, 0)
            appendable = self.model.collections[level.pattern].appendable
            if address.bad_index or level.index > count or (level.index == count and not appendable):
                raise DataModelError(
                    "SET_OUT_OF_ORDER", f"{level.pattern}: index {level.index}, _count {count}"
                )

    def _interaction_type(self, store: _Store, address: Address, element: Element) -> str | None:
        if element.format_by is None:
            return None
        return store.values.get(address.concrete(element.format_by))

    def _check_pattern_count(self, store: _Store, address: Address, kind: str | None) -> None:
        if self.version != "2004" or not address.pattern.endswith("correct_responses.n.pattern"):
            return
        limit = responses.INTERACTION_TYPES[kind or "other"].max_patterns
        level = address.levels[-1]
        count = store.counts.get(level.path, 0)
        if limit is not None and level.index == count and count >= limit:
            raise DataModelError("MAX_COUNT_EXCEEDED", f"a {kind} interaction has {limit} pattern")

    def _validate(self, address: Address, element: Element, value: str, kind: str | None) -> bool:
        """Type, vocabulary, range and length checks; return whether it is over an SPM."""
        if element.format_by is not None:
            if self.version == "1.2":
                responses.check_feedback_12(kind, value)
                return False
            return responses.check_response(_response_format(element, kind), value)
        rule = self.model.rule(address.pattern)
        limit = self.policy.max_length(self.version, address.pattern)
        over = check_value(rule, value, max_length=limit) is not None
        standard = rule.max_length
        if limit is not None and standard is not None and len(value) > standard:
            self._relax(Relaxation(address.path, len(value), standard, "accepted", self.policy.name))
        return over

    def _canonical(self, element: Element, value: str, kind: str | None) -> str:
        """A 2004 pattern or response in the form it is stored (responses.canonical_response)."""
        if element.format_by is None or self.version != "2004":
            return value
        return responses.canonical_response(_response_format(element, kind), value)

    def _check_unique(
        self, store: _Store, address: Address, element: Element, value: str, kind: str | None
    ) -> None:
        current = store.values.get(address.path)
        if element.write_once and current is not None and current != value:
            raise DataModelError("WRITE_ONCE", f"{address.pattern} cannot change once set")
        compare = None
        if element.type == "response_pattern" and kind is not None:
            compare = responses.INTERACTION_TYPES[kind].unique_patterns
        if not element.unique and compare is None:
            return
        level = address.levels[-1]
        leaf = address.path[len(f"{level.path}.{level.index}.") :]
        for index in range(store.counts.get(level.path, 0)):
            other = store.values.get(f"{level.path}.{index}.{leaf}")
            if index == level.index or other is None:
                continue
            same = other == value if compare is None else responses.same_pattern(compare, other, value)
            if same:
                raise DataModelError("NOT_UNIQUE", f"{value[:40]!r} is already used")

    def _apply_spm(self, address: Address, element: Element, value: str, over: bool) -> str:
        """2004 only: log a value past its SPM; the strict policy cuts text to the SPM."""
        if not over or self.version != "2004":
            return value
        rule = self.model.rule(address.pattern) if element.format_by is None else None
        limit = rule.spm if rule is not None else None
        truncate = (
            self.policy.over_spm_2004 == "truncate"
            and rule is not None
            and limit is not None
            and rule.name in _TEXT_TYPES
        )
        action = "truncated" if truncate else "stored whole"
        self._relax(Relaxation(address.path, len(value), limit, action, self.policy.name))
        if not truncate or rule is None or limit is None:
            return value
        return value[: len(value) - measured_length(value, rule.measure) + limit]

    def _write(self, store: _Store, address: Address, value: str) -> tuple[str, ...]:
        """Store the value (creating records); return the prefixes a type change erased."""
        for level in address.levels:
            if level.index == store.counts.get(level.path, 0):
                store.counts[level.path] = level.index + 1
        previous = store.values.get(address.path)
        store.values[address.path] = value
        if self.version != "2004" or address.pattern != _INTERACTION_TYPE:
            return ()
        if previous is None or previous == value:
            return ()
        # A changed interaction type drops its patterns and response (ADL Sample RTE,
        # SCORM_2004_DMElement.setValue): they were written for the old format.
        record = address.path.rsplit(".", 1)[0]
        gone = (f"{record}.correct_responses.", f"{record}.learner_response")
        for key in [k for k in store.values if k.startswith(gone)]:
            del store.values[key]
        store.counts.pop(f"{record}.correct_responses", None)
        return gone

    def _relax(self, relaxation: Relaxation) -> None:
        self.relaxations.append(relaxation)
        relaxation.log()

    # --- loading ------------------------------------------------------------------------

    def _load(self, name: str, value: str) -> None:
        """Store an LMS value: creates records as needed; checks types, not access or SPMs."""
        address = self.model.resolve(name)
        if address.keyword is not None or address.bad_index:
            raise DataModelError("UNDEFINED_ELEMENT", f"{name!r} cannot be loaded")
        element = self.model.elements[address.pattern]
        if element.format_by is None and value not in element.lms_values:
            rule = self.model.rule(address.pattern)
            check_value(rule, _as_uri(address.pattern, value), max_length=1 << 30)
        for level in address.levels:
            count = self._store.counts.get(level.path, 0)
            self._store.counts[level.path] = max(count, level.index + 1)
        self._store.values[address.path] = value


def _response_format(element: Element, kind: str | None) -> responses.ResponseFormat:
    """The 2004 format of a pattern or learner response for an interaction of type ``kind``."""
    spec = responses.INTERACTION_TYPES[kind or "other"]
    return spec.pattern if element.type == "response_pattern" else spec.response


def _as_uri(pattern: str, value: str) -> str:
    """``value`` as checked on load: a decoded identifier's spaces percent-encoded again."""
    return value.replace(" ", "%20") if pattern in _DECODED_URI_ELEMENTS else value


def _text(value: object) -> str:
    """API arguments are strings; anything else (a bridge passing ``None``, a number) is
    turned into its text, so ``None`` is not taken for ``""``."""
    return value if isinstance(value, str) else str(value)
