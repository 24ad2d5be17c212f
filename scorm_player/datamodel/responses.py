"""Interaction response formats: 2004 ``correct_responses.n.pattern`` / ``learner_response``
(4th Ed. RTE 4.2.9.1, Tables 4.2.9.1a/b) and the SCORM 1.2 CMIFeedback formats (1.2 RTE 3.4.4).

The 2004 formats are data (:class:`ResponseFormat`) read by one small interpreter,
:func:`check_response`, so the JavaScript adapter can run the same rules from the exported
JSON. Reading a value:

1. leading flags (``{case_matters=..}``, ``{order_matters=..}``) the format allows, in any
   order, each at most once, value ``true``/``false`` (other values: type mismatch);
2. if the format is a list, split the rest on ``[,]`` (``""`` is zero items when
   ``allow_empty``);
3. check each item by its kind; a list marked ``unique_items`` must not repeat an item.

Every failure is a type mismatch (406). That includes a choice pattern that repeats an
identifier (``a[,]a``): the ADL Sample RTE ``InteractionValidator`` reports it as
TYPE_MISMATCH. Two equal *patterns* in one interaction (choice compared as sets, sequencing
as sequences) and a pattern past the per-type maximum are 351, decided by the runtime from
:class:`InteractionType`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scorm_player.datamodel.errors import DataModelError
from scorm_player.datamodel.types import (
    DECIMAL,
    LANG_PREFIX,
    URI,
    anchored,
    compiled,
    full_match,
)

ItemKind = Literal[
    "short_identifier", "localized_string", "characterstring", "pair", "step", "range",
    "real", "vocabulary",
]

LIST_SEPARATOR = "[,]"
PAIR_SEPARATOR = "[.]"
RANGE_SEPARATOR = "[:]"
FLAG_VALUES = ("true", "false")
#: What an absent flag means (RTE 4.2.9.1). A flag stating its default is dropped from the
#: stored value, as is ``{lang=en}`` (the default language) on a long-fill-in: the ADL Sample
#: RTE stores that canonical form, and the CTS (DMI) reads it back.
FLAG_DEFAULTS = {"case_matters": "false", "order_matters": "true"}
DEFAULT_LANGUAGE = "en"
SHORT_IDENTIFIER = anchored(URI)
REAL = anchored(DECIMAL)
SHORT_IDENTIFIER_SPM = 250


@dataclass(frozen=True)
class ItemFormat:
    """One item of a response. ``spm`` counts characters (soft limit, never an error)."""

    kind: ItemKind
    spm: int | None = None
    vocabulary: tuple[str, ...] | None = None
    answer_ranges: bool = False  # step answers may be ``min[:]max`` (patterns only)


@dataclass(frozen=True)
class ResponseFormat:
    """A whole pattern or learner response."""

    item: ItemFormat
    flags: tuple[str, ...] = ()
    list: bool = False
    allow_empty: bool = False
    unique_items: bool = False
    items_spm: int | None = None


@dataclass(frozen=True)
class InteractionType:
    """Both formats of one ``cmi.interactions.n.type`` and its pattern-count rules.

    :ivar max_patterns: hard maximum of ``correct_responses`` (more: 351), or ``None``.
    :ivar patterns_spm: the SPM of ``correct_responses`` (more is accepted and logged).
    :ivar unique_patterns: ``"set"`` / ``"sequence"``: how two patterns are compared when
        the type forbids repeating one (351), or ``None``.
    """

    pattern: ResponseFormat
    response: ResponseFormat
    max_patterns: int | None
    patterns_spm: int
    unique_patterns: Literal["set", "sequence"] | None = None


_ID = ItemFormat("short_identifier", spm=SHORT_IDENTIFIER_SPM)
_BOOL = ItemFormat("vocabulary", vocabulary=("true", "false"))
_FILL = ItemFormat("localized_string", spm=250)
_LONG_FILL = ItemFormat("localized_string", spm=4000)
_CHOICES = ResponseFormat(_ID, list=True, allow_empty=True, unique_items=True, items_spm=36)
_SEQUENCE = ResponseFormat(_ID, list=True, items_spm=36)

#: SCORM 2004 4th Ed. RTE Table 4.2.9.1a (formats) with the ADL Sample RTE's limits
#: (``SCORM_2004_DMElement.handleCorrectResponses``): true-false, likert, numeric and other
#: allow exactly one pattern; the other counts are SPMs.
INTERACTION_TYPES: dict[str, InteractionType] = {
    "true-false": InteractionType(ResponseFormat(_BOOL), ResponseFormat(_BOOL), 1, 1),
    "choice": InteractionType(_CHOICES, _CHOICES, None, 10, "set"),
    "fill-in": InteractionType(
        ResponseFormat(
            _FILL, flags=("case_matters", "order_matters"), list=True, allow_empty=True,
            items_spm=10,
        ),
        ResponseFormat(_FILL, list=True, allow_empty=True, items_spm=10),
        None, 5,
    ),
    "long-fill-in": InteractionType(
        ResponseFormat(_LONG_FILL, flags=("case_matters",), allow_empty=True),
        ResponseFormat(_LONG_FILL, allow_empty=True),
        None, 5,
    ),
    "likert": InteractionType(ResponseFormat(_ID), ResponseFormat(_ID), 1, 1),
    "matching": InteractionType(
        ResponseFormat(ItemFormat("pair"), list=True, items_spm=36),
        ResponseFormat(ItemFormat("pair"), list=True, allow_empty=True, items_spm=36),
        None, 5,
    ),
    "performance": InteractionType(
        ResponseFormat(
            ItemFormat("step", spm=250, answer_ranges=True), flags=("order_matters",),
            list=True, items_spm=125,
        ),
        ResponseFormat(ItemFormat("step", spm=250), list=True, items_spm=125),
        None, 5,
    ),
    "sequencing": InteractionType(_SEQUENCE, _SEQUENCE, None, 5, "sequence"),
    "numeric": InteractionType(
        ResponseFormat(ItemFormat("range")), ResponseFormat(ItemFormat("real")), 1, 1
    ),
    "other": InteractionType(
        ResponseFormat(ItemFormat("characterstring", spm=4000), allow_empty=True),
        ResponseFormat(ItemFormat("characterstring", spm=4000), allow_empty=True),
        1, 1,
    ),
}


def _mismatch(why: str) -> DataModelError:
    return DataModelError("TYPE_MISMATCH", why)


def split_flags(value: str, allowed: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """Take the leading ``{name=value}`` flags ``allowed`` lists off ``value``.

    A flag the format does not allow stops the scan and stays part of the value.
    """
    flags: dict[str, str] = {}
    rest = value
    while rest.startswith("{"):
        name = next((n for n in allowed if rest.startswith("{" + n + "=")), None)
        if name is None or name in flags:
            break
        end = rest.find("}")
        if end == -1:
            break
        flag_value = rest[len(name) + 2 : end]
        if flag_value not in FLAG_VALUES:
            raise _mismatch(f"{{{name}=...}} must be true or false")
        flags[name] = flag_value
        rest = rest[end + 1 :]
    return flags, rest


def _check_range(text: str) -> None:
    parts = text.split(RANGE_SEPARATOR)
    if len(parts) != 2:
        raise _mismatch("a range is min[:]max")
    low, high = parts
    for bound in parts:
        if bound != "" and not full_match(REAL, bound):
            raise _mismatch(f"{bound[:40]!r} is not a real number")
    if low != "" and high != "" and float(low) > float(high):
        raise _mismatch("the range minimum exceeds the maximum")


def _check_item(item: ItemFormat, text: str) -> bool:
    """Check one item; return whether it is over its SPM."""
    kind = item.kind
    if kind == "short_identifier":
        if not full_match(SHORT_IDENTIFIER, text):
            raise _mismatch(f"{text[:40]!r} is not a short_identifier_type")
        return len(text) > SHORT_IDENTIFIER_SPM
    if kind == "vocabulary":
        if item.vocabulary is None or text not in item.vocabulary:
            raise _mismatch(f"{text[:40]!r} is not one of {item.vocabulary}")
        return False
    if kind == "real":
        if not full_match(REAL, text):
            raise _mismatch(f"{text[:40]!r} is not a real number")
        return False
    if kind == "range":
        _check_range(text)
        return False
    if kind == "pair":
        parts = text.split(PAIR_SEPARATOR)
        if len(parts) != 2:
            raise _mismatch("a pair is source[.]target")
        return any(_check_item(_ID_ITEM, part) for part in parts)
    if kind == "step":
        return _check_step(item, text)
    if kind == "localized_string":
        match = compiled("^" + LANG_PREFIX).match(text)
        if match is None and text.startswith("{lang="):
            end = text.find("}")
            if end != -1:
                raise _mismatch("the {lang=...} delimiter holds no valid language_type")
        text = text[match.end() :] if match else text
    return item.spm is not None and len(text) > item.spm


_ID_ITEM = ItemFormat("short_identifier")


def _check_step(item: ItemFormat, text: str) -> bool:
    parts = text.split(PAIR_SEPARATOR)
    if len(parts) != 2:
        raise _mismatch("a step is step_name[.]step_answer")
    name, answer = parts
    if name == "" and answer == "":
        raise _mismatch("a step needs a name or an answer")
    over = False
    if name != "":
        over = _check_item(_ID_ITEM, name)
    if RANGE_SEPARATOR in answer:
        if not item.answer_ranges:
            raise _mismatch("a learner response step answer cannot be a range")
        _check_range(answer)
    elif item.spm is not None and len(answer) > item.spm:
        over = True
    return over


def check_response(fmt: ResponseFormat, value: str) -> bool:
    """Validate ``value`` against ``fmt``; raise a type mismatch, or return whether it is
    over an SPM (item length or item count), which the policy then handles."""
    _, body = split_flags(value, fmt.flags)
    if not fmt.list:
        if body == "" and not fmt.allow_empty:
            raise _mismatch("the response is empty")
        return _check_item(fmt.item, body)
    if body == "":
        if fmt.allow_empty:
            return False
        raise _mismatch("the response is empty")
    items = body.split(LIST_SEPARATOR)
    over = False
    for text in items:
        over = _check_item(fmt.item, text) or over
    if fmt.unique_items and len(set(items)) != len(items):
        raise _mismatch("an identifier is repeated")
    return over or (fmt.items_spm is not None and len(items) > fmt.items_spm)


def canonical_response(fmt: ResponseFormat, value: str) -> str:
    """The form a valid pattern or response is stored in (and read back by GetValue).

    Leading flags that state their default are dropped. A long-fill-in (one localized
    string) reads its ``{case_matters}`` flag before or after its ``{lang}`` delimiter and is
    stored as ``[{case_matters=true}][{lang=X}]text``, ``{lang=en}`` dropped. A list whose
    first item is over its SPM *with the flags in it* is stored as written: the ADL Sample
    RTE measures that item before reading the flags off (CTS DMI, a 125-step performance
    pattern keeps its ``{order_matters=true}``).
    """
    flags, body = split_flags(value, fmt.flags)
    language: str | None = None
    if fmt.item.kind == "localized_string" and not fmt.list:
        match = compiled("^" + LANG_PREFIX).match(body)
        if match is not None:
            language, body = body[len("{lang=") : match.end() - 1], body[match.end() :]
            more, body = _lift_flags(body, tuple(n for n in fmt.flags if n not in flags))
            flags.update(more)
    elif fmt.list and flags and _first_item_over_spm(fmt, value):
        return value
    kept = "".join(f"{{{n}={v}}}" for n, v in flags.items() if v != FLAG_DEFAULTS[n])
    if language is not None and language.lower() != DEFAULT_LANGUAGE:
        kept += f"{{lang={language}}}"
    return kept + body


def _lift_flags(text: str, allowed: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """Valid flags at the start of ``text``, else none (the text is then plain text)."""
    try:
        return split_flags(text, allowed)
    except DataModelError:
        return {}, text


def _first_item_over_spm(fmt: ResponseFormat, value: str) -> bool:
    first = value.split(LIST_SEPARATOR, 1)[0]
    if fmt.item.kind == "step":
        return len(first.split(PAIR_SEPARATOR, 1)[0]) > SHORT_IDENTIFIER_SPM
    return fmt.item.spm is not None and len(first) > fmt.item.spm


def same_pattern(kind: Literal["set", "sequence"], first: str, second: str) -> bool:
    """Whether two valid patterns say the same thing (used to refuse a repeated pattern)."""
    if kind == "set":
        return set(first.split(LIST_SEPARATOR)) == set(second.split(LIST_SEPARATOR))
    return first.split(LIST_SEPARATOR) == second.split(LIST_SEPARATOR)


# --- SCORM 1.2 CMIFeedback -------------------------------------------------------------------

_CHAR = "[0-9a-z]"
_LIST = f"{_CHAR}(?:,{_CHAR})*"
_PAIR = rf"{_CHAR}\.{_CHAR}"
_PAIRS = f"{_PAIR}(?:,{_PAIR})*"

#: SCORM 1.2 RTE 3.4.4 (cmi.interactions.n.student_response / correct_responses.n.pattern):
#: the CMIFeedback format of each interaction type. All are at most 255 characters; fill-in
#: and performance are free text. An interaction without a type takes any CMIFeedback.
FEEDBACK_12: dict[str, str] = {
    "true-false": anchored("[01tf]"),
    "choice": anchored(rf"{_LIST}|\{{{_LIST}\}}"),
    "fill-in": anchored(r"[\s\S]*"),
    "numeric": anchored(DECIMAL),
    "likert": anchored(f"{_CHAR}?"),
    "matching": anchored(rf"{_PAIRS}|\{{{_PAIRS}\}}"),
    "performance": anchored(r"[\s\S]*"),
    "sequencing": anchored(_LIST),
}


def check_feedback_12(interaction_type: str | None, value: str) -> None:
    """Validate a 1.2 CMIFeedback value for ``interaction_type`` (405 when wrong)."""
    if len(value) > 255:
        raise _mismatch("CMIFeedback is at most 255 characters")
    regex = FEEDBACK_12.get(interaction_type or "")
    if regex is not None and not full_match(regex, value):
        raise _mismatch(f"{value[:40]!r} is not a {interaction_type} response")
