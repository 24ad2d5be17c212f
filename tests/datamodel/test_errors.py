"""Error tables: the codes each version defines, their texts, and the condition map."""

from __future__ import annotations

import pytest

from scorm_player.datamodel.errors import (
    CONDITIONS,
    ERRORS,
    ERRORS_12,
    ERRORS_2004,
    VERSIONS,
    DataModelError,
    error_code,
    error_name,
    error_string,
)

CODES_12 = [0, 101, 201, 202, 203, 301, 401, 402, 403, 404, 405]
CODES_2004 = [
    0, 101, 102, 103, 104, 111, 112, 113, 122, 123, 132, 133, 142, 143, 201, 301, 351, 391,
    401, 402, 403, 404, 405, 406, 407, 408,
]


def test_scorm12_defines_exactly_the_book_codes() -> None:
    assert [d.code for d in ERRORS_12.values()] == CODES_12


def test_scorm2004_defines_exactly_the_book_codes() -> None:
    assert [d.code for d in ERRORS_2004.values()] == CODES_2004


@pytest.mark.parametrize("version", VERSIONS)
def test_error_texts_are_short_and_present(version: str) -> None:
    for definition in ERRORS[version].values():
        assert 0 < len(definition.text) < 255


@pytest.mark.parametrize(
    ("version", "code", "text"),
    [
        ("1.2", "403", "Element is read only"),
        ("1.2", "404", "Element is write only"),
        ("1.2", "0", "No error"),
        ("2004", "406", "Data Model Element Type Mismatch"),
        ("2004", "408", "Data Model Dependency Not Established"),
        ("2004", "0", "No Error"),
    ],
)
def test_error_string_gives_the_standard_text(version: str, code: str, text: str) -> None:
    assert error_string(version, code) == text


@pytest.mark.parametrize("code", ["", "001", "1444", "999", "abc", "-0", " 0", "0.0", "406 "])
@pytest.mark.parametrize("version", VERSIONS)
def test_error_string_of_an_unknown_code_is_empty(version: str, code: str) -> None:
    assert error_string(version, code) == ""


def test_error_string_of_a_code_the_version_lacks_is_empty() -> None:
    assert (error_string("1.2", "406"), error_string("2004", "202")) == ("", "")


@pytest.mark.parametrize("condition", list(CONDITIONS))
@pytest.mark.parametrize("version", VERSIONS)
def test_every_condition_maps_to_a_code_of_the_version(version: str, condition: str) -> None:
    assert error_name(version, condition) in ERRORS[version]
    assert error_code(version, condition) in (CODES_12 if version == "1.2" else CODES_2004)


@pytest.mark.parametrize(
    ("condition", "code_12", "code_2004"),
    [
        ("READ_ONLY", 403, 404),
        ("WRITE_ONLY", 404, 405),
        ("TYPE_MISMATCH", 405, 406),
        ("VALUE_OUT_OF_RANGE", 405, 407),
        ("KEYWORD_IS_READ_ONLY", 402, 404),
        ("NO_CHILDREN", 202, 301),
        ("NO_COUNT", 203, 301),
        ("INDEX_OUT_OF_RANGE", 201, 301),
        ("SET_OUT_OF_ORDER", 201, 351),
        ("UNDEFINED_ELEMENT", 201, 401),
        ("FOREIGN_ELEMENT", 401, 401),
        ("GET_AFTER_TERMINATE", 101, 123),
        ("GET_BEFORE_INITIALIZE", 301, 122),
        ("VALUE_NOT_INITIALIZED", 0, 403),
        ("DEPENDENCY_NOT_ESTABLISHED", 101, 408),
    ],
)
def test_condition_codes_per_version(condition: str, code_12: int, code_2004: int) -> None:
    assert (error_code("1.2", condition), error_code("2004", condition)) == (code_12, code_2004)


def test_data_model_error_refuses_an_unknown_condition() -> None:
    with pytest.raises(KeyError):
        DataModelError("NOT_A_CONDITION")


def test_data_model_error_carries_condition_and_detail() -> None:
    error = DataModelError("TYPE_MISMATCH", "bad")
    assert (error.condition, error.detail, str(error)) == ("TYPE_MISMATCH", "bad", "TYPE_MISMATCH: bad")
