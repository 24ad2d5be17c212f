"""CMITimespan and ISO 8601 duration arithmetic, exact to the hundredth."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorm_player.datamodel.durations import (
    MAX_TIMESPAN,
    add_durations,
    add_timespans,
    format_duration,
    format_timespan,
    parse_duration,
    parse_timespan,
)
from scorm_player.datamodel.types import DURATION, TIMESPAN, anchored, full_match

H = 100 * 3600


@pytest.mark.parametrize(
    ("value", "hundredths"),
    [
        ("PT0S", 0), ("PT1H30M5.25S", H + 30 * 6000 + 525), ("P1D", 24 * H),
        ("P0Y029DT0H", 29 * 24 * H), ("PT1.239S", 123), ("PT0.5S", 50), ("P1Y", 365 * 24 * H),
        ("P1M", 365 * 24 * H // 12), ("PT01M", 6000),
    ],
)
def test_parse_duration(value: str, hundredths: int) -> None:
    assert parse_duration(value) == hundredths


@pytest.mark.parametrize(
    ("hundredths", "text"),
    [(0, "PT0H0M0S"), (50, "PT0H0M0.5S"), (525, "PT0H0M5.25S"), (H + 6000, "PT1H1M0S"),
     (29 * 24 * H, "PT696H0M0S")],
)
def test_format_duration(hundredths: int, text: str) -> None:
    assert format_duration(hundredths) == text


@pytest.mark.parametrize(
    ("value", "hundredths"),
    [("00:00:00", 0), ("0000:15:30.00", 930 * 100), ("01:00:00.5", H + 50), ("9999:59:59.99", 9999 * H + 359999)],
)
def test_parse_timespan(value: str, hundredths: int) -> None:
    assert parse_timespan(value) == hundredths


@pytest.mark.parametrize(("hundredths", "text"), [(0, "0000:00:00.00"), (10000 * H + 1, "9999:59:59.99")])
def test_format_timespan(hundredths: int, text: str) -> None:
    assert format_timespan(hundredths) == text


@pytest.mark.parametrize("bad", ["P", "PT", "1:00:00", ""])
def test_parse_duration_refuses_an_invalid_value(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_parse_timespan_refuses_an_invalid_value() -> None:
    with pytest.raises(ValueError):
        parse_timespan("0:10:30")


def test_vector_1_45_sum() -> None:
    assert add_timespans("00:10:00", "00:05:30") == "0000:15:30.00"


_n = st.none() | st.integers(0, 10**5)


@st.composite
def durations(draw: st.DrawFn) -> tuple[str, int]:
    """A valid ISO duration and its value in hundredths."""
    years, months, days, hours, minutes = (draw(_n) for _ in range(5))
    seconds = draw(st.none() | st.tuples(st.integers(0, 10**5), st.none() | st.text("0123456789", min_size=1, max_size=4)))
    date = "".join(f"{v}{u}" for v, u in ((years, "Y"), (months, "M"), (days, "D")) if v is not None)
    time = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M")) if v is not None)
    expected = sum(
        (v or 0) * u for v, u in ((years, 365 * 24 * H), (months, 365 * 24 * H // 12),
                                  (days, 24 * H), (hours, H), (minutes, 6000))
    )
    if seconds is not None:
        whole, fraction = seconds
        time += f"{whole}.{fraction}S" if fraction is not None else f"{whole}S"
        expected += whole * 100 + (int(fraction.ljust(2, "0")[:2]) if fraction else 0)
    if not date and not time:
        date = "0D"
    text = "P" + date + ("T" + time if time else "")
    return text, expected


@given(durations())
def test_any_valid_duration_is_accepted_and_parsed(case: tuple[str, int]) -> None:
    text, expected = case
    assert full_match(anchored(DURATION), text)
    assert parse_duration(text) == expected


@given(durations(), durations())
def test_durations_sum_exactly(first: tuple[str, int], second: tuple[str, int]) -> None:
    total = add_durations(first[0], second[0])
    assert full_match(anchored(DURATION), total)
    assert parse_duration(total) == first[1] + second[1]


@given(st.integers(0, 10**9))
def test_formatted_duration_round_trips(hundredths: int) -> None:
    assert parse_duration(format_duration(hundredths)) == hundredths


@given(st.integers(0, 9999 * H + 359999), st.integers(0, 9999 * H + 359999))
def test_timespans_sum_exactly(first: int, second: int) -> None:
    total = add_timespans(format_timespan(first), format_timespan(second))
    assert parse_timespan(total) == min(first + second, MAX_TIMESPAN)
    assert full_match(anchored(TIMESPAN), total)
