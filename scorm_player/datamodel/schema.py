"""The shape of an element table, and how a dot-notation name is found in one.

An element table (``elements_12.py``, ``elements_2004.py``) is a :class:`DataModel`: leaf
:class:`Element` rows keyed by pattern (collection indexes written ``n``, e.g.
``cmi.interactions.n.objectives.n.id``), :class:`Collection` rows for every array, and
``groups`` for the non-array parents that answer ``_children``.

:func:`resolve` turns a name such as ``cmi.interactions.3.objectives._count`` into an
:class:`Address` (pattern, indexes, keyword). It is deliberately simple so the adapter can
do the same from the exported JSON: split on ``.``; after a collection path the next token
is an index (``0`` or ``[1-9][0-9]*``; other digit strings are kept but flagged
``bad_index``); a trailing ``_children``/``_count``/``_version`` is a keyword; a trailing
``.{target=...}`` is the argument of an element that declares one.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass
from functools import cached_property

from scorm_player.datamodel.errors import DataModelError, Version
from scorm_player.datamodel.types import DataType

KEYWORDS = ("_children", "_count", "_version")
_DIGITS = re.compile("[0-9]+")
_CANONICAL_INDEX = re.compile("0|[1-9][0-9]*")
_ARGUMENT = re.compile(r"^(.*)\.\{([a-z_]+)=([^}]*)\}$")


class Access(str, enum.Enum):
    """Who may do what with an element (RO: SetValue fails, WO: GetValue fails)."""

    READ_ONLY = "RO"
    WRITE_ONLY = "WO"
    READ_WRITE = "RW"


@dataclass(frozen=True)
class Element:
    """One leaf element.

    :ivar default: the value before anything is stored; ``None`` means "not initialized"
        (2004 GetValue: 403; 1.2: ``""``).
    :ivar vocabulary: tokens a SCO may set (narrows or extends the type: a hit is accepted).
    :ivar lms_values: further tokens only the LMS may store (1.2 ``not attempted``).
    :ivar requires: elements (same record indexes) that must be set first, else 408.
    :ivar unique: the value must differ from the same element in every other record.
    :ivar write_once: once set, only the same value may be set again (4th Ed.).
    :ivar format_by: the element holding the interaction type that picks the format.
    :ivar argument: name of a ``.{name=value}`` suffix the element takes (request_valid).
    :ivar computed: the value comes from an LMS callback, not from storage.
    """

    type: str
    access: Access
    section: str
    default: str | None = None
    vocabulary: tuple[str, ...] | None = None
    lms_values: tuple[str, ...] = ()
    range: tuple[float | None, float | None] | None = None
    spm: int | None = None
    max_length: int | None = None
    requires: tuple[str, ...] = ()
    unique: bool = False
    write_once: bool = False
    format_by: str | None = None
    argument: str | None = None
    computed: bool = False


@dataclass(frozen=True)
class Collection:
    """An array (``_count``). ``appendable=False``: only the LMS creates records."""

    children: tuple[str, ...]
    spm: int | None
    section: str
    show_children: bool = True
    appendable: bool = True


@dataclass(frozen=True)
class Level:
    """One collection index in an address: ``cmi.interactions`` / ``cmi.interactions`` / 3."""

    pattern: str
    path: str
    index: int


@dataclass(frozen=True)
class Address:
    """A resolved name."""

    name: str
    pattern: str
    path: str
    indexes: tuple[int, ...]
    levels: tuple[Level, ...]
    keyword: str | None = None
    argument: str | None = None
    bad_index: bool = False

    def concrete(self, pattern: str) -> str:
        """``pattern`` with this address's indexes put in for its ``n`` tokens."""
        indexes = iter(self.indexes)
        return ".".join(str(next(indexes)) if t == "n" else t for t in pattern.split("."))


@dataclass(frozen=True)
class DataModel:
    """A version's whole element table."""

    version: Version
    data_model_version: str
    namespaces: tuple[str, ...]
    types: Mapping[str, DataType]
    elements: Mapping[str, Element]
    collections: Mapping[str, Collection]
    groups: Mapping[str, tuple[str, ...]]

    @cached_property
    def nodes(self) -> frozenset[str]:
        """Every known path: leaves, collections, records, groups and their parents."""
        found: set[str] = set(self.collections) | set(self.groups)
        for pattern in self.elements:
            tokens = pattern.split(".")
            found.update(".".join(tokens[:i]) for i in range(1, len(tokens) + 1))
        return frozenset(found)

    def rule(self, pattern: str) -> DataType:
        """The element's type narrowed by its own vocabulary, range and limits."""
        element = self.elements[pattern]
        base = self.types[element.type]
        narrowed = {
            name: getattr(element, name)
            for name in ("vocabulary", "range", "max_length", "spm")
            if getattr(element, name) is not None
        }
        return dataclasses.replace(base, **narrowed)

    def resolve(self, name: str) -> Address:
        """Find ``name`` in the table; raise ``FOREIGN_ELEMENT`` or ``UNDEFINED_ELEMENT``."""
        argument = None
        match = _ARGUMENT.match(name)
        if match:
            element = self.elements.get(match.group(1))
            if element is not None and element.argument == match.group(2):
                name, argument = match.group(1), match.group(3)
        tokens = name.split(".")
        if tokens[0] not in self.namespaces:
            raise DataModelError("FOREIGN_ELEMENT", f"{name[:60]!r} is not in the data model")
        parts: list[str] = []
        concrete: list[str] = []
        levels: list[Level] = []
        keyword = None
        bad_index = False
        for position, token in enumerate(tokens):
            prefix = ".".join(parts)
            if position == len(tokens) - 1 and token in KEYWORDS and position > 0:
                keyword = token
                break
            if prefix in self.collections:
                if not _DIGITS.fullmatch(token):
                    raise DataModelError("UNDEFINED_ELEMENT", f"{prefix} needs an index")
                bad_index = bad_index or not _CANONICAL_INDEX.fullmatch(token)
                levels.append(Level(prefix, ".".join(concrete), int(token)))
                parts.append("n")
                concrete.append(str(int(token)))
                continue
            parts.append(token)
            concrete.append(token)
        pattern = ".".join(parts)
        known = pattern in self.nodes if keyword else pattern in self.elements
        if not known:
            raise DataModelError("UNDEFINED_ELEMENT", f"{name[:60]!r} is not defined")
        path = ".".join(concrete)
        if keyword is None and self.elements[pattern].argument:
            if argument is None:
                raise DataModelError("UNDEFINED_ELEMENT", f"{name[:60]!r} needs an argument")
            path = f"{path}.{{{self.elements[pattern].argument}={argument}}}"
        return Address(
            name=name,
            pattern=pattern,
            path=path,
            indexes=tuple(level.index for level in levels),
            levels=tuple(levels),
            keyword=keyword,
            argument=argument,
            bad_index=bad_index,
        )
