"""Data types: every type of both versions against valid and invalid samples, plus
properties (reals in range, timestamps, garbage never raises)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorm_player.datamodel.errors import DataModelError
from scorm_player.datamodel.languages import ISO_639_1, ISO_639_2
from scorm_player.datamodel.types import (
    LANGUAGE,
    TYPES,
    TYPES_12,
    TYPES_2004,
    DataType,
    anchored,
    check_value,
    full_match,
    measured_length,
)

URN_4000 = "urn:adl:" + "a" * 3992

# (version, type) -> (valid values, invalid values: TYPE_MISMATCH)
SAMPLES: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    ("1.2", "CMIBlank"): ([""], [" ", "0"]),
    ("1.2", "CMIBoolean"): (["true", "false"], ["True", "1", ""]),
    ("1.2", "CMIDecimal"): (
        ["0", "85", "-12.5", ".5", "100.00", "-.5"],
        ["", "-", "abc", "1.", "+1", "1e5", "1,5", " 1", "\u0661", "1\n"],
    ),
    ("1.2", "CMIFeedback"): (["", "a,b", "x" * 255], ["x" * 256]),
    ("1.2", "CMIIdentifier"): (
        ["q1", "Question_1", "obj.1", "urn:x:y", "x" * 255],
        ["", "a b", "tab\t", "\u00e9", "x" * 256, "q1\n"],
    ),
    ("1.2", "CMIInteger"): (["0", "65536", "007"], ["-1", "1.5", "", "+1"]),
    ("1.2", "CMISInteger"): (["-32768", "32768", "0", "-1"], ["+1", "1.0", "", "--1"]),
    ("1.2", "CMIString255"): (["", "any text\n\u00e9", "x" * 255], ["x" * 256]),
    ("1.2", "CMIString4096"): (["", "x" * 4096], ["x" * 4097]),
    ("1.2", "CMITime"): (
        ["00:00:00", "23:59:59.99", "12:30:05.5"],
        ["24:00:00", "1:00:00", "12:60:00", "12:00:00.123", "12:00", "", "12:00:60"],
    ),
    ("1.2", "CMITimespan"): (
        ["00:00:00", "0000:10:30.5", "9999:59:59.99", "00:10:30", "123:00:00"],
        ["0:10:30", "00000:00:00", "00:60:00", "PT10M", "00:00:00.123", "00:00:60", ""],
    ),
    ("1.2", "CMIVocabulary"): ([], ["anything"]),
    ("2004", "characterstring"): (["", "x" * 70000, "{lang=en}x", "\u0000\n\t"], []),
    ("2004", "localized_string_type"): (
        ["", "Hi", "{lang=en}Hi", "{lang=de-CH}x", "{lang=en", "lang=en}x", "{lang=en}"],
        ["{lang=}x", "{lang=12}x", "{lang=en us}x", "{lang=toolongsubtag}x", "{lang=frl}x"],
    ),
    ("2004", "language_type"): (
        ["en", "en-US", "i-klingon", "x-private", "zh-Hant-TW", "EN", "sgn-be-fr"],
        ["", "12", "en_US", "toolongsubtag", "-en", "en-", "en--US", "en US", "sp", "frl",
         "ruq-JM", "exg", "engl"],
    ),
    ("2004", "long_identifier_type"): (
        [
            "urn:adl:lmsTest/OBJ01", "INTID0", "obj1", "http://example.com/a?b=c#frag",
            "obj%20x", "a:b", "URN:ISBN:0-395-36341-1", "\u00e9t\u00e9", URN_4000, "a#",
            "urn:a", "urn:my_course:q1",
        ],
        [
            "", "urn:", "urn:adl:lms Test/OBJ01", "a b", ":x", "1a:b", "a%zz", "a#b#c",
            "{x}", "a[,]b", "x\n", "a:", "a:#f", "\u00a0", "a\u3000b", "URN:#x",
        ],
    ),
    ("2004", "short_identifier_type"): (["a", "choice_1", "urn:x:y"], ["", "a b", "a[.]b"]),
    ("2004", "integer"): (["0", "-5", "123"], ["1.0", "", "+1"]),
    ("2004", "state"): ([], ["anything"]),
    ("2004", "real(10,7)"): (
        ["0", "-1", ".5", "1.000099999887765544", "150", "-0.0"],
        ["1e-4", "+1", "1.", "abc", "", "NaN", "Infinity", "0x10", "1 "],
    ),
    ("2004", "time(second,10,0)"): (
        [
            "2026", "2026-11", "2026-11-25", "2026-11-25T09", "2026-11-25T09:21",
            "2026-11-25T09:21:06", "2026-11-25T09:21:06.5Z", "2026-11-25T09:21:06.12+05:30",
            "2024-02-29", "2000-02-29T00:00", "1970-01-01T00:00:00.0-05",
            "2038-12-31T23:59:59.99", "2003-07-25T03:00:00",
        ],
        [
            "25/11/2026", "2026-11-25T09:21:06Z", "2026-02-29", "2026-04-31", "1969",
            "2039-01-01", "2026-13", "2026-11-25T24:00", "2026-11-25 09:21", "2026-1-5",
            "2026-11-25T", "2026-11-25T09:21:06.", "2026-11-25T09:21:06.5z", "2100-02-29",
            "1900-02-29", "2026-11-25T09:21:06.5+24", "", "2026-00",
            "2004-04-01T09:45:58.025",  # three fraction digits: 406 in the CTS DMI
        ],
    ),
    ("2004", "timeinterval(second,10,2)"): (
        [
            "PT0S", "PT1H30M5.25S", "P1DT2H", "P1Y6M14DT4H15M6.34S", "P01Y6M14DT4H15M6.34S",
            "PT0H05M49S", "P0Y029DT0H", "PT1.234S", "P1M", "PT0H0M0S",
        ],
        [
            "P", "PT", "1:00:00", "P1Y6M14DT", "P1Y6M14D4H15M6.34S", "PT1.5M", "-PT1S",
            "P1W", "PT1H1H", "pt1s", "1Y6M14DT4H15M6.34S", "PT1S ", "P1.5D",
        ],
    ),
    ("2004", "nav_request"): (
        [
            "continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll",
            "_none_", "{target=sco2}choice", "{target=urn:x:y}jump",
        ],
        [
            "next", "choice", "{target=}choice", "{target=a}continue", "Continue",
            "{target=a b}choice", "jump", "", "{target=a}choice ",
        ],
    ),
}
RANGE_SAMPLES = [
    ("1.2", "CMIInteger", "65537"),
    ("1.2", "CMISInteger", "32769"),
    ("1.2", "CMISInteger", "-32769"),
]


def _cases(valid: bool) -> list:
    return [
        pytest.param(version, name, value, id=f"{version}-{name}-{value[:24]!r}")
        for (version, name), (good, bad) in SAMPLES.items()
        for value in (good if valid else bad)
    ]


def test_samples_cover_every_type() -> None:
    assert {k for k in SAMPLES} == {(v, n) for v, table in TYPES.items() for n in table} - {
        ("2004", "response_pattern"), ("2004", "learner_response"),
    }


@pytest.mark.parametrize(("version", "name", "value"), _cases(valid=True))
def test_valid_value_is_accepted(version: str, name: str, value: str) -> None:
    check_value(TYPES[version][name], value)


@pytest.mark.parametrize(("version", "name", "value"), _cases(valid=False))
def test_invalid_value_is_a_type_mismatch(version: str, name: str, value: str) -> None:
    with pytest.raises(DataModelError) as caught:
        check_value(TYPES[version][name], value)
    assert caught.value.condition == "TYPE_MISMATCH"


@pytest.mark.parametrize(("version", "name", "value"), RANGE_SAMPLES)
def test_well_formed_number_outside_the_type_range_is_out_of_range(
    version: str, name: str, value: str
) -> None:
    with pytest.raises(DataModelError) as caught:
        check_value(TYPES[version][name], value)
    assert caught.value.condition == "VALUE_OUT_OF_RANGE"


@pytest.mark.parametrize("table", [TYPES_12, TYPES_2004], ids=["1.2", "2004"])
def test_every_regex_is_anchored(table: dict[str, DataType]) -> None:
    for data_type in table.values():
        if data_type.regex is not None:
            assert data_type.regex.startswith("^(?:") and data_type.regex.endswith(")$")


def test_vocabulary_hit_skips_the_regex() -> None:
    rule = DataType("x", "test", anchored("[0-9]+"), vocabulary=("",))
    check_value(rule, "")
    check_value(rule, "12")


def test_blank_skips_the_range() -> None:
    check_value(DataType("x", "t", anchored("[0-9]*"), range=(1, 2)), "")


def test_spm_overflow_is_reported_not_raised() -> None:
    rule = DataType("x", "t", anchored("[\\s\\S]*"), spm=3)
    assert (check_value(rule, "abc"), check_value(rule, "abcd")) == (None, 4)


def test_localized_spm_counts_the_text_only() -> None:
    assert measured_length("{lang=en}abc", "text") == 3
    assert measured_length("{lang=en}abc", "chars") == 12
    assert measured_length("{lang=}abc", "text") == 10


def test_policy_max_length_replaces_the_type_limit() -> None:
    check_value(TYPES_12["CMIString4096"], "x" * 5000, max_length=64000)


# --- properties ------------------------------------------------------------------------

REAL = TYPES_2004["real(10,7)"]


@given(st.decimals(min_value=-1, max_value=1, places=7, allow_nan=False))
def test_any_real_in_range_is_accepted(number: Decimal) -> None:
    check_value(DataType("r", "t", REAL.regex, range=(-1, 1)), f"{number:f}")


@given(
    st.decimals(min_value=Decimal("1.0000001"), max_value=10**9, places=7, allow_nan=False),
    st.booleans(),
)
def test_any_real_past_the_range_is_out_of_range(number: Decimal, negative: bool) -> None:
    text = f"{-number if negative else number:f}"
    with pytest.raises(DataModelError) as caught:
        check_value(DataType("r", "t", REAL.regex, range=(-1, 1)), text)
    assert caught.value.condition == "VALUE_OUT_OF_RANGE"


@given(st.datetimes(dt.datetime(1970, 1, 1), dt.datetime(2038, 12, 31, 23, 59, 59)),
       st.sampled_from(["", ".5", ".25Z", ".12+01:00", ".0-05"]))
def test_any_calendar_timestamp_is_accepted(moment: dt.datetime, tail: str) -> None:
    value = moment.strftime("%Y-%m-%dT%H:%M:%S") + tail
    check_value(TYPES_2004["time(second,10,0)"], value)


@given(st.dates(dt.date(1970, 1, 1), dt.date(2038, 12, 31)))
def test_the_day_after_a_month_end_is_rejected(day: dt.date) -> None:
    last = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if last.day < 31:
        with pytest.raises(DataModelError):
            check_value(TYPES_2004["time(second,10,0)"], f"{last:%Y-%m}-{last.day + 1:02d}")


@given(st.from_regex(anchored(LANGUAGE), fullmatch=True))
def test_any_rfc3066_tag_is_a_language(tag: str) -> None:
    check_value(TYPES_2004["language_type"], tag)


@given(st.sampled_from(sorted({(v, n) for v, t in TYPES.items() for n in t})), st.text())
def test_garbage_never_raises_anything_but_a_data_model_error(key: tuple, value: str) -> None:
    version, name = key
    try:
        check_value(TYPES[version][name], value)
    except DataModelError as error:
        assert error.condition in ("TYPE_MISMATCH", "VALUE_OUT_OF_RANGE")


def test_full_match_ignores_a_trailing_newline_like_javascript() -> None:
    assert not full_match(anchored("abc"), "abc\n")


@pytest.mark.parametrize("code", sorted(ISO_639_1 | ISO_639_2))
def test_every_iso_639_code_starts_a_language_in_any_case(code: str) -> None:
    check_value(TYPES_2004["language_type"], code)
    check_value(TYPES_2004["language_type"], code.upper() + "-x1")


@pytest.mark.parametrize("code", ["sp", "frl", "exg", "ruq", "qua", "ab1"])
def test_a_primary_subtag_outside_iso_639_is_a_type_mismatch(code: str) -> None:
    with pytest.raises(DataModelError):
        check_value(TYPES_2004["language_type"], code)


@pytest.mark.parametrize("tag", ["mo", "sh-HR", "iw", "scc", "scr", "mol"])
def test_a_withdrawn_iso_639_code_still_starts_a_language(tag: str) -> None:
    check_value(TYPES_2004["language_type"], tag)


@pytest.mark.parametrize("code", ["qaa", "qtz", "QMX"])
def test_an_iso_639_2_local_use_code_starts_a_language(code: str) -> None:
    check_value(TYPES_2004["language_type"], code)
