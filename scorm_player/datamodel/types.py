"""CMI data types of both versions as a table, and the one generic value check.

Every regex here is written in the common subset of Python ``re`` and JavaScript ``RegExp``
(no ``\\d``/``\\w``/``\\s`` -- their Unicode meaning differs -- no lookbehind, no named
groups, ``[\\s\\S]`` instead of ``.``) and is anchored, so Python's ``re.fullmatch`` and
JavaScript's ``new RegExp(r).test(v)`` give the same verdict. The adapter receives these
strings as JSON (see :mod:`scorm_player.datamodel.export`).

A value is checked in this order (:func:`check_value`), which is also the order the adapter
follows: vocabulary hit (accepted at once) -> regex (``TYPE_MISMATCH``) -> numeric range
(``VALUE_OUT_OF_RANGE``, skipped for ``""``) -> hard length (``TYPE_MISMATCH``; SCORM 1.2
strings) -> SPM (never an error: reported back so the caller can apply the policy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from scorm_player.datamodel.errors import DataModelError, Version
from scorm_player.datamodel.languages import PRIMARY_SUBTAG

Measure = Literal["chars", "text"]

# --- building blocks -------------------------------------------------------------------------

DIGITS = "[0-9]+"
#: CMIDecimal (1.2 RTE Appendix A) and real(10,7) (2004 RTE C): optional minus, digits,
#: optional fraction; ``.5`` is allowed, ``+1``, ``1.`` and exponents are not.
DECIMAL = r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"

#: RFC 3066 language tag (2004 RTE C, language_type): a primary subtag that is ``i``, ``x``
#: or an ISO 639-1/639-2 code (looked up, as the ADL Sample RTE does: see :mod:`.languages`),
#: then ``-`` subtags of 1-8 letters or digits.
LANGUAGE = f"{PRIMARY_SUBTAG}(?:-[A-Za-z0-9]{{1,8}})*"

#: One URI character (RFC 3986 as java.net.URI, used by the ADL Sample RTE, applies it):
#: no controls, spaces or the characters ``"<>\\^`{|}[]``; ``%`` only as ``%XX``; ``#`` is
#: handled by :data:`URI`. ``[`` and ``]`` are excluded so no identifier can hold a reserved
#: response delimiter (``[,]``, ``[.]``, ``[:]``).
URI_CHAR = (
    r"(?:[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF"
    r'"<>\\^`{|}\[\]%#]|%[0-9A-Fa-f]{2})'
)
_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*:"
#: long_identifier_type / short_identifier_type (2004 RTE C): a non-empty URI. A colon before
#: the first ``/?#`` must end a valid scheme, and a scheme needs a scheme-specific part
#: (``urn:`` is rejected, ADL CTS DMI 1.107). A URN's NID is not checked: the RTE asks for a
#: URI and only recommends URNs, and java.net.URI (ADL Sample RTE) accepts ``urn:my_id:1``.
URI = (
    rf"(?:(?={_SCHEME})|(?![^:/?#]*:))"
    rf"(?!{_SCHEME}(?:#|$))"
    rf"{URI_CHAR}+(?:#{URI_CHAR}*)?"
)

_YEAR = "(?:19[7-9][0-9]|20[0-2][0-9]|203[0-8])"
_LEAP_YEAR = "(?:19(?:7[26]|8[048]|9[26])|20(?:0[048]|1[26]|2[048]|3[26]))"
_HOUR = "(?:[01][0-9]|2[0-3])"
_MIN_SEC = "[0-5][0-9]"
_TZD = rf"(?:Z|[+\-]{_HOUR}(?::{_MIN_SEC})?)"
_CLOCK = rf"(?:T{_HOUR}(?::{_MIN_SEC}(?::{_MIN_SEC}(?:\.[0-9]{{1,2}}{_TZD}?)?)?)?)"
_DAY_OF_MONTH = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
#: time(second,10,0) (2004 RTE C): ``YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]]``, years 1970-2038,
#: real calendar days (leap years included), 1 or 2 fraction digits (the CTS DMI refuses
#: ``.025`` with 406, though the spec notes say 1+), the TZD only after a fraction.
TIMESTAMP = (
    f"(?:{_YEAR}(?:-(?:0[1-9]|1[0-2]))?"
    f"|{_YEAR}-{_DAY_OF_MONTH}{_CLOCK}?"
    f"|{_LEAP_YEAR}-02-29{_CLOCK}?)"
)
#: timeinterval(second,10,2) (2004 RTE C): ``P[yY][mM][dD][T[hH][nM][s[.s]S]]`` with at least one
#: component, ``T`` only before H/M/S, fractions on seconds only. ``P``, ``PT``, ``P1DT`` fail.
DURATION = (
    r"P(?=[0-9]|T[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
)
#: CMITimespan (1.2 RTE Appendix A): ``HHHH:MM:SS.SS``, 2-4 hour digits, 0-2 decimals.
TIMESPAN = r"[0-9]{2,4}:[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,2})?"
#: CMITime (1.2 RTE Appendix A): a clock time ``HH:MM:SS[.SS]``.
CLOCK_TIME = rf"{_HOUR}:[0-5][0-9]:[0-5][0-9](?:\.[0-9]{{1,2}})?"
#: adl.nav.request (2004 RTE, navigation data model): a request token, or a choice/jump with
#: its ``{target=<identifier>}`` delimiter.
NAV_REQUEST = (
    r"(?:continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_"
    rf"|\{{target={URI_CHAR}+\}}(?:choice|jump))"
)
#: The ``{lang=...}`` delimiter of localized_string_type (2004 RTE C). A value that starts with
#: a well-formed ``{lang=...}`` must carry a valid tag; anything else is plain text.
LANG_PREFIX = rf"\{{lang={LANGUAGE}\}}"
LOCALIZED = rf"(?:{LANG_PREFIX}|(?!\{{lang=[^}}]*\}}))[\s\S]*"
ANY_TEXT = r"[\s\S]*"


def anchored(body: str) -> str:
    """``^(?:body)$``: the form every exported regex takes."""
    return f"^(?:{body})$"


@lru_cache(maxsize=None)
def compiled(regex: str) -> re.Pattern[str]:
    """The compiled form of an exported regex (cached)."""
    return re.compile(regex)


def full_match(regex: str, value: str) -> bool:
    """The verdict JavaScript's ``new RegExp(regex).test(value)`` gives for anchored regexes."""
    return compiled(regex).fullmatch(value) is not None


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataType:
    """One data type. An element narrows it (its own vocabulary, range, SPM) into the
    rule :func:`check_value` applies (:meth:`DataModel.rule`)."""

    name: str
    section: str
    regex: str | None = None
    vocabulary: tuple[str, ...] | None = None
    range: tuple[float | None, float | None] | None = None
    max_length: int | None = None
    spm: int | None = None
    measure: Measure = "chars"
    description: str = ""


_12 = "SCORM 1.2 RTE Appendix A"
_2004 = "SCORM 2004 4th Ed. RTE Appendix C"

TYPES_12: dict[str, DataType] = {
    t.name: t
    for t in (
        DataType("CMIBlank", _12, anchored(""), description="the empty string"),
        DataType("CMIBoolean", _12, vocabulary=("true", "false")),
        DataType("CMIDecimal", _12, anchored(DECIMAL)),
        DataType(
            "CMIFeedback", _12, anchored(ANY_TEXT), max_length=255,
            description="interaction response text; its format depends on the interaction type",
        ),
        DataType(
            "CMIIdentifier", _12, anchored(r"[\x21-\x7E]+"), max_length=255,
            description="printable characters, no white space, 1-255 characters",
        ),
        DataType("CMIInteger", _12, anchored(DIGITS), range=(0, 65536)),
        DataType("CMISInteger", _12, anchored("-?" + DIGITS), range=(-32768, 32768)),
        DataType("CMIString255", _12, anchored(ANY_TEXT), max_length=255),
        DataType("CMIString4096", _12, anchored(ANY_TEXT), max_length=4096),
        DataType("CMITime", _12, anchored(CLOCK_TIME)),
        DataType("CMITimespan", _12, anchored(TIMESPAN)),
        DataType("CMIVocabulary", _12, description="one token of the element's vocabulary"),
    )
}

TYPES_2004: dict[str, DataType] = {
    t.name: t
    for t in (
        DataType("characterstring", _2004, anchored(ANY_TEXT)),
        DataType(
            "localized_string_type", _2004, anchored(LOCALIZED), measure="text",
            description="optional {lang=<language_type>} then text; the SPM counts the text",
        ),
        DataType("language_type", _2004, anchored(LANGUAGE), spm=250),
        DataType("long_identifier_type", _2004, anchored(URI), spm=4000),
        DataType("short_identifier_type", _2004, anchored(URI), spm=250),
        DataType("integer", _2004, anchored("-?" + DIGITS)),
        DataType("state", _2004, description="one token of the element's vocabulary"),
        DataType("real(10,7)", _2004, anchored(DECIMAL)),
        DataType("time(second,10,0)", _2004, anchored(TIMESTAMP)),
        DataType("timeinterval(second,10,2)", _2004, anchored(DURATION)),
        DataType("nav_request", "SCORM 2004 4th Ed. RTE, adl.nav.request", anchored(NAV_REQUEST)),
        DataType(
            "response_pattern", _2004,
            description="format chosen by cmi.interactions.n.type (see responses)",
        ),
        DataType(
            "learner_response", _2004,
            description="format chosen by cmi.interactions.n.type (see responses)",
        ),
    )
}

TYPES: dict[Version, dict[str, DataType]] = {"1.2": TYPES_12, "2004": TYPES_2004}


# --- checking --------------------------------------------------------------------------------


def measured_length(value: str, measure: Measure) -> int:
    """Characters counted against a limit: all of them, or the text after ``{lang=..}``."""
    if measure == "text":
        match = compiled("^" + LANG_PREFIX).match(value)
        if match:
            return len(value) - match.end()
    return len(value)


def in_range(value: str, bounds: tuple[float | None, float | None]) -> bool:
    """Whether a regex-valid decimal lies in ``[low, high]`` (``None`` = open).

    Compared as binary floats, as JavaScript's ``parseFloat`` does, so both sides agree.
    """
    number = float(value)
    low, high = bounds
    return (low is None or number >= low) and (high is None or number <= high)


def check_value(rule: DataType, value: str, *, max_length: int | None = None) -> int | None:
    """Check ``value`` against ``rule``; raise :class:`DataModelError` if it is not valid.

    :param max_length: replaces ``rule.max_length`` (the policy's per-element limit).
    :returns: the measured length when it is over the SPM (the caller applies the policy),
        else ``None``.
    """
    if rule.vocabulary is not None and value in rule.vocabulary:
        return None
    if rule.regex is None:
        raise DataModelError("TYPE_MISMATCH", f"{value[:40]!r} is not in the vocabulary")
    if not full_match(rule.regex, value):
        raise DataModelError("TYPE_MISMATCH", f"{value[:40]!r} is not a valid {rule.name}")
    if rule.range is not None and value != "" and not in_range(value, rule.range):
        raise DataModelError("VALUE_OUT_OF_RANGE", f"{value[:40]} is outside {rule.range}")
    limit = rule.max_length if max_length is None else max_length
    length = measured_length(value, rule.measure)
    if limit is not None and length > limit:
        raise DataModelError("TYPE_MISMATCH", f"{length} characters, the limit is {limit}")
    if rule.spm is not None and length > rule.spm:
        return length
    return None
