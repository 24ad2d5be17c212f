"""Time spans as whole hundredths of a second, for ``total_time`` arithmetic.

SCORM 1.2 ``CMITimespan`` (``HHHH:MM:SS.SS``, RTE Appendix A) and SCORM 2004
``timeinterval(second,10,2)`` (ISO 8601 ``PnYnMnDTnHnMnS``, RTE Appendix C) both keep 0.01 s
precision. Working in integers keeps sums exact; digits past the hundredths are dropped
(truncated), as the ADL Sample RTE does. ISO years and months are nominal: we count a year as
365 days and a month as a twelfth of that (the Sample RTE uses 365 and ~30.42 days too).
"""

from __future__ import annotations

import re

from scorm_player.datamodel.types import DURATION, TIMESPAN, anchored

HUNDREDTHS_PER_SECOND = 100
_SECOND = HUNDREDTHS_PER_SECOND
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_YEAR = 365 * _DAY
_MONTH = _YEAR // 12

_ISO = re.compile(
    r"P(?:(?P<Y>[0-9]+)Y)?(?:(?P<Mo>[0-9]+)M)?(?:(?P<D>[0-9]+)D)?"
    r"(?:T(?:(?P<H>[0-9]+)H)?(?:(?P<Mi>[0-9]+)M)?(?:(?P<S>[0-9]+)(?:\.(?P<F>[0-9]+))?S)?)?"
)
_ISO_VALID = re.compile(anchored(DURATION))
_SPAN_VALID = re.compile(anchored(TIMESPAN))
_ISO_UNITS = {"Y": _YEAR, "Mo": _MONTH, "D": _DAY, "H": _HOUR, "Mi": _MINUTE, "S": _SECOND}


def _fraction(digits: str | None) -> int:
    """Hundredths in a decimal fraction's digits (``"5"`` -> 50, ``"678"`` -> 67)."""
    return int((digits or "").ljust(2, "0")[:2])


def parse_duration(value: str) -> int:
    """An ISO 8601 duration (2004 timeinterval) in hundredths of a second."""
    if not _ISO_VALID.fullmatch(value):
        raise ValueError(f"not a timeinterval(second,10,2): {value!r}")
    match = _ISO.fullmatch(value)
    assert match is not None
    parts = match.groupdict()
    total = sum(int(parts[name]) * unit for name, unit in _ISO_UNITS.items() if parts[name])
    return total + _fraction(parts["F"])


def format_duration(hundredths: int) -> str:
    """``PT{h}H{m}M{s}S``, seconds with at most two decimals (``PT0H0M0S`` for zero)."""
    hours, rest = divmod(hundredths, _HOUR)
    minutes, rest = divmod(rest, _MINUTE)
    seconds, fraction = divmod(rest, _SECOND)
    text = f"{seconds}.{fraction:02d}".rstrip("0").rstrip(".") if fraction else str(seconds)
    return f"PT{hours}H{minutes}M{text}S"


def parse_timespan(value: str) -> int:
    """A SCORM 1.2 CMITimespan in hundredths of a second."""
    if not _SPAN_VALID.fullmatch(value):
        raise ValueError(f"not a CMITimespan: {value!r}")
    clock, _, fraction = value.partition(".")
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return hours * _HOUR + minutes * _MINUTE + seconds * _SECOND + _fraction(fraction)


#: The largest CMITimespan (four hour digits).
MAX_TIMESPAN = 9999 * _HOUR + 59 * _MINUTE + 59 * _SECOND + 99


def format_timespan(hundredths: int) -> str:
    """``HHHH:MM:SS.SS``; a total past 9999 hours is capped so it stays a CMITimespan."""
    hours, rest = divmod(min(hundredths, MAX_TIMESPAN), _HOUR)
    minutes, rest = divmod(rest, _MINUTE)
    seconds, fraction = divmod(rest, _SECOND)
    return f"{hours:04d}:{minutes:02d}:{seconds:02d}.{fraction:02d}"


def add_durations(total: str, session: str) -> str:
    """2004 ``total_time + session_time``."""
    return format_duration(parse_duration(total) + parse_duration(session))


def add_timespans(total: str, session: str) -> str:
    """1.2 ``total_time + session_time``."""
    return format_timespan(parse_timespan(total) + parse_timespan(session))
