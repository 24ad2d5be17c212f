"""Interaction response formats: all ten 2004 types, both sides, and 1.2 CMIFeedback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorm_player.datamodel.errors import DataModelError
from scorm_player.datamodel.responses import (
    FEEDBACK_12,
    INTERACTION_TYPES,
    check_feedback_12,
    canonical_response,
    check_response,
    same_pattern,
    split_flags,
)

# type -> side -> (valid, invalid)
SAMPLES: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "true-false": {
        "pattern": (["true", "false"], ["yes", "True", "", "1", "t"]),
        "response": (["true", "false"], ["yes", "", "0"]),
    },
    "choice": {
        "pattern": (
            ["", "a", "a[,]b", "choice_1[,]urn:x:y", "[,]".join(f"c{n}" for n in range(40))],
            ["[,]", "a[,]", "[,]a", "a[,][,]b", "a[,]a", "c[,]c", "a b", "a[.]b", "{case_matters=true}a"],
        ),
        "response": (["", "a", "a[,]b"], ["a[,]a", "[,]", "a b"]),
    },
    "fill-in": {
        "pattern": (
            [
                "", "Paris", "{lang=fr}Paris[,]{lang=en}Paris", "{case_matters=true}Bob",
                "{order_matters=false}a[,]b", "{case_matters=true}{order_matters=false}a[,]b",
                "{order_matters=false}{case_matters=false}{lang=de}Hallo", "a[.]b", "x" * 300,
                "{lang=en", "a[,]",
            ],
            ["{case_matters=yes}a", "{order_matters=}a", "{lang=12}a", "a[,]{lang=}b"],
        ),
        "response": (
            ["", "Paris", "{lang=fr}Paris[,]x", "{case_matters=true}Bob"],
            ["{lang=en us}a"],
        ),
    },
    "long-fill-in": {
        "pattern": (
            ["", "an essay[,]with commas", "{case_matters=true}{lang=en}x", "{lang=en}x" * 500],
            ["{case_matters=maybe}x", "{lang=}x", "{case_matters=true}{lang=1}x"],
        ),
        "response": (["", "{lang=en}essay", "{order_matters=true}literal"], ["{lang=}x"]),
    },
    "likert": {
        "pattern": (["likert_1", "urn:x:y"], ["", "a b", "a[,]b"]),
        "response": (["likert_1"], ["", "a b"]),
    },
    "matching": {
        "pattern": (
            ["a[.]b", "a[.]b[,]c[.]d", "1[.]x[,]1[.]y"],
            ["", "a", "a[.]", "[.]b", "a[.]b[.]c", "a[.]b[,]", "a[.]b[,][,]c[.]d", "a b[.]c"],
        ),
        "response": (["", "a[.]b"], ["a", "a[.]b[,]"]),
    },
    "performance": {
        "pattern": (
            [
                "step1[.]answer", "step1[.]1[:]5", "[.]answer", "step1[.]", "s[.]a[,]t[.]b",
                "{order_matters=false}s[.]a[,]t[.]b", "s[.][:]5", "s[.]5[:]", "s[.]5[:]5",
            ],
            [
                "", "step1", "[.]", "s[.]a[.]b", "s[.]5[:]1", "s[.]a[:]b", "s[.]1[:]2[:]3",
                "s[.]a[,]", "bad name[.]x", "{order_matters=no}s[.]a",
            ],
        ),
        "response": (
            ["step1[.]answer", "[.]42", "s[.]a[,]t[.]b"],
            ["", "s[.]1[:]5", "s", "{order_matters=false}s[.]a"],
        ),
    },
    "sequencing": {
        "pattern": (["a", "a[,]b[,]c", "a[,]a"], ["", "[,]", "a[,]", "[,]a", "a b"]),
        "response": (["a[,]b", "a[,]a"], ["", "[,]"]),
    },
    "numeric": {
        "pattern": (
            ["10[:]20", "[:]10", "5[:]", "5[:]5", "[:]", "-1.5[:]2", ".5[:]1"],
            ["", "5", "20[:]10", "a[:]b", "1[:]2[:]3", "1e1[:]2", "1[.]2"],
        ),
        "response": (["15", "-1.5", ".5", "0"], ["", "abc", "1[:]2", "1e5"]),
    },
    "other": {
        "pattern": (["", "anything[,]at all", "x" * 5000], []),
        "response": (["", "{lang=en}whatever"], []),
    },
}


def _cases(valid: bool) -> list:
    return [
        pytest.param(kind, side, value, id=f"{kind}-{side}-{value[:30]!r}")
        for kind, sides in SAMPLES.items()
        for side, (good, bad) in sides.items()
        for value in (good if valid else bad)
    ]


def test_samples_cover_all_ten_types() -> None:
    assert set(SAMPLES) == set(INTERACTION_TYPES) and len(SAMPLES) == 10


@pytest.mark.parametrize(("kind", "side", "value"), _cases(valid=True))
def test_valid_response_is_accepted(kind: str, side: str, value: str) -> None:
    check_response(getattr(INTERACTION_TYPES[kind], side), value)


@pytest.mark.parametrize(("kind", "side", "value"), _cases(valid=False))
def test_invalid_response_is_a_type_mismatch(kind: str, side: str, value: str) -> None:
    with pytest.raises(DataModelError) as caught:
        check_response(getattr(INTERACTION_TYPES[kind], side), value)
    assert caught.value.condition == "TYPE_MISMATCH"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("choice", "[,]".join(f"c{n}" for n in range(37))),
        ("choice", "c" * 251),
        ("fill-in", "x" * 251),
        ("fill-in", "[,]".join("x" * 11)),
        ("long-fill-in", "{lang=en}" + "x" * 4001),
        ("matching", "[,]".join(f"a{n}[.]b" for n in range(37))),
        ("performance", "s[.]" + "x" * 251),
        ("other", "x" * 4001),
    ],
)
def test_response_past_an_spm_is_valid_and_reported(kind: str, value: str) -> None:
    assert check_response(INTERACTION_TYPES[kind].pattern, value) is True


@pytest.mark.parametrize(
    ("kind", "max_patterns", "spm", "unique"),
    [
        ("true-false", 1, 1, None), ("choice", None, 10, "set"), ("fill-in", None, 5, None),
        ("long-fill-in", None, 5, None), ("likert", 1, 1, None), ("matching", None, 5, None),
        ("performance", None, 5, None), ("sequencing", None, 5, "sequence"),
        ("numeric", 1, 1, None), ("other", 1, 1, None),
    ],
)
def test_pattern_count_rules(kind: str, max_patterns: int | None, spm: int, unique: str | None) -> None:
    spec = INTERACTION_TYPES[kind]
    assert (spec.max_patterns, spec.patterns_spm, spec.unique_patterns) == (max_patterns, spm, unique)


def test_flags_come_off_in_any_order_once() -> None:
    flags, rest = split_flags("{order_matters=false}{case_matters=true}{case_matters=false}x",
                              ("case_matters", "order_matters"))
    assert flags == {"order_matters": "false", "case_matters": "true"}
    assert rest == "{case_matters=false}x"


def test_a_flag_the_format_lacks_stays_in_the_value() -> None:
    assert split_flags("{order_matters=true}x", ("case_matters",)) == ({}, "{order_matters=true}x")


def _stored(kind: str, side: str, value: str) -> str:
    return canonical_response(getattr(INTERACTION_TYPES[kind], side), value)


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("fill-in", "{order_matters=true}a[,]b", "a[,]b"),
        ("fill-in", "{case_matters=false}{order_matters=false}z", "{order_matters=false}z"),
        ("performance", "{order_matters=true}s[.]a", "s[.]a"),
        ("long-fill-in", "{case_matters=false}text", "text"),
    ],
)
def test_a_flag_stating_its_default_is_not_stored(kind: str, value: str, stored: str) -> None:
    assert _stored(kind, "pattern", value) == stored


@pytest.mark.parametrize(
    "value", ["{order_matters=false}z", "{case_matters=true}a[,]b", "{lang=en}z", "{lang=de}z"]
)
def test_a_fill_in_keeps_flags_that_change_the_meaning_and_every_language(value: str) -> None:
    assert _stored("fill-in", "pattern", value) == value


def test_a_fill_in_reads_no_flag_after_a_language() -> None:
    value = "{lang=de}{case_matters=false}{order_matters=false}z"
    assert _stored("fill-in", "pattern", value) == value


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("{lang=de}{case_matters=true}Text", "{case_matters=true}{lang=de}Text"),
        ("{lang=de}{case_matters=false}Text", "{lang=de}Text"),
        ("{case_matters=false}{lang=de}Text", "{lang=de}Text"),
        ("{lang=en}", ""),
        ("{lang=de}{case_matters=maybe}Text", "{lang=de}{case_matters=maybe}Text"),
    ],
)
def test_a_long_fill_in_is_stored_as_flag_then_language_then_text(value: str, stored: str) -> None:
    assert _stored("long-fill-in", "pattern", value) == stored


def test_a_long_fill_in_response_in_the_default_language_is_stored_without_it() -> None:
    assert _stored("long-fill-in", "response", "{lang=en}Text") == "Text"


def test_a_list_whose_first_item_overflows_with_its_flags_is_stored_as_written() -> None:
    value = "{order_matters=true}" + "s" * 250 + "[.]a"
    assert _stored("performance", "pattern", value) == value


@given(
    st.sampled_from(sorted(SAMPLES)), st.sampled_from(["pattern", "response"]), st.data()
)
def test_the_stored_form_is_stable(kind: str, side: str, data: st.DataObject) -> None:
    valid = SAMPLES[kind][side][0]
    if valid:
        stored = _stored(kind, side, data.draw(st.sampled_from(valid)))
        assert _stored(kind, side, stored) == stored


@pytest.mark.parametrize(
    ("kind", "first", "second", "same"),
    [
        ("set", "a[,]b", "b[,]a", True), ("set", "a[,]b", "a", False), ("set", "", "", True),
        ("sequence", "a[,]b", "b[,]a", False), ("sequence", "a[,]b", "a[,]b", True),
    ],
)
def test_same_pattern(kind: str, first: str, second: str, same: bool) -> None:
    assert same_pattern(kind, first, second) is same  # type: ignore[arg-type]


@given(st.sampled_from(sorted(INTERACTION_TYPES)), st.sampled_from(["pattern", "response"]), st.text())
def test_garbage_response_never_raises_anything_but_a_type_mismatch(kind: str, side: str, value: str) -> None:
    try:
        check_response(getattr(INTERACTION_TYPES[kind], side), value)
    except DataModelError as error:
        assert error.condition == "TYPE_MISMATCH"


# --- SCORM 1.2 CMIFeedback -------------------------------------------------------------

FEEDBACK_SAMPLES = {
    "true-false": (["0", "1", "t", "f"], ["true", "T", "", "01"]),
    "choice": (["a", "a,b,c", "{a,b}", "1,2"], ["", "ab", "a,", "{a,b", "A", "a;b"]),
    "fill-in": (["", "any text, really", "x" * 255], ["x" * 256]),
    "numeric": (["1", "-2.5", ".5"], ["", "abc", "1e5"]),
    "likert": (["", "a", "5"], ["ab", "A"]),
    "matching": (["1.a", "1.a,2.b", "{1.a,2.b}"], ["", "1", "1.a,", "1-a", "{1.a"]),
    "performance": (["", "anything"], ["x" * 256]),
    "sequencing": (["a", "a,b,c", "c,a,a"], ["", "a,", ",a", "{a,b}"]),
}


def test_feedback_samples_cover_every_12_type() -> None:
    assert set(FEEDBACK_SAMPLES) == set(FEEDBACK_12)


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [
        pytest.param(kind, value, ok, id=f"{kind}-{value[:20]!r}")
        for kind, (good, bad) in FEEDBACK_SAMPLES.items()
        for ok, values in ((True, good), (False, bad))
        for value in values
    ],
)
def test_feedback_12(kind: str, value: str, valid: bool) -> None:
    if valid:
        check_feedback_12(kind, value)
    else:
        with pytest.raises(DataModelError):
            check_feedback_12(kind, value)


def test_feedback_without_a_type_is_any_text_up_to_255() -> None:
    check_feedback_12(None, "whatever, {x}")
    with pytest.raises(DataModelError):
        check_feedback_12(None, "x" * 256)
