"""Run-time error codes of both SCORM versions, as tables.

Two layers, so the rules never spell a number:

- ``ERRORS_12`` / ``ERRORS_2004``: the standard's own error list per version, keyed by a
  symbolic name, with the code and the ``GetErrorString`` text (SCORM 1.2 RTE 3.3.2.4,
  SCORM 2004 4th Ed. RTE 3.1.7 / Table 3.1.7.6a).
- ``CONDITIONS``: what went wrong, in version-neutral words (``READ_ONLY``,
  ``INDEX_OUT_OF_RANGE``...), mapped to the name each version reports for it. SCORM 1.2 has
  no range code, so ``VALUE_OUT_OF_RANGE`` is 405 there; it has no post-finish code, so the
  after-termination conditions are 101 (our documented choice, ``rte-api.md`` section 3).

Validators and the runtime raise :class:`DataModelError` with a condition; only the API
boundary turns it into a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Version = Literal["1.2", "2004"]
VERSIONS: tuple[Version, ...] = ("1.2", "2004")


@dataclass(frozen=True)
class ErrorDef:
    """One row of a version's error table."""

    code: int
    text: str


#: SCORM 1.2 RTE 3.3.2.4, the error-code table (texts are the book's).
ERRORS_12: dict[str, ErrorDef] = {
    "NO_ERROR": ErrorDef(0, "No error"),
    "GENERAL_EXCEPTION": ErrorDef(101, "General Exception"),
    "INVALID_ARGUMENT": ErrorDef(201, "Invalid argument error"),
    "ELEMENT_CANNOT_HAVE_CHILDREN": ErrorDef(202, "Element cannot have children"),
    "ELEMENT_NOT_AN_ARRAY": ErrorDef(203, "Element not an array - cannot have count"),
    "NOT_INITIALIZED": ErrorDef(301, "Not initialized"),
    "NOT_IMPLEMENTED": ErrorDef(401, "Not implemented error"),
    "INVALID_SET_VALUE_KEYWORD": ErrorDef(402, "Invalid set value, element is a keyword"),
    "ELEMENT_IS_READ_ONLY": ErrorDef(403, "Element is read only"),
    "ELEMENT_IS_WRITE_ONLY": ErrorDef(404, "Element is write only"),
    "INCORRECT_DATA_TYPE": ErrorDef(405, "Incorrect Data Type"),
}

#: SCORM 2004 4th Ed. RTE 3.1.7.6, Table 3.1.7.6a (IEEE 1484.11.2 error codes).
ERRORS_2004: dict[str, ErrorDef] = {
    "NO_ERROR": ErrorDef(0, "No Error"),
    "GENERAL_EXCEPTION": ErrorDef(101, "General Exception"),
    "GENERAL_INITIALIZATION_FAILURE": ErrorDef(102, "General Initialization Failure"),
    "ALREADY_INITIALIZED": ErrorDef(103, "Already Initialized"),
    "CONTENT_INSTANCE_TERMINATED": ErrorDef(104, "Content Instance Terminated"),
    "GENERAL_TERMINATION_FAILURE": ErrorDef(111, "General Termination Failure"),
    "TERMINATION_BEFORE_INITIALIZATION": ErrorDef(112, "Termination Before Initialization"),
    "TERMINATION_AFTER_TERMINATION": ErrorDef(113, "Termination After Termination"),
    "RETRIEVE_DATA_BEFORE_INITIALIZATION": ErrorDef(122, "Retrieve Data Before Initialization"),
    "RETRIEVE_DATA_AFTER_TERMINATION": ErrorDef(123, "Retrieve Data After Termination"),
    "STORE_DATA_BEFORE_INITIALIZATION": ErrorDef(132, "Store Data Before Initialization"),
    "STORE_DATA_AFTER_TERMINATION": ErrorDef(133, "Store Data After Termination"),
    "COMMIT_BEFORE_INITIALIZATION": ErrorDef(142, "Commit Before Initialization"),
    "COMMIT_AFTER_TERMINATION": ErrorDef(143, "Commit After Termination"),
    "GENERAL_ARGUMENT_ERROR": ErrorDef(201, "General Argument Error"),
    "GENERAL_GET_FAILURE": ErrorDef(301, "General Get Failure"),
    "GENERAL_SET_FAILURE": ErrorDef(351, "General Set Failure"),
    "GENERAL_COMMIT_FAILURE": ErrorDef(391, "General Commit Failure"),
    "UNDEFINED_DATA_MODEL_ELEMENT": ErrorDef(401, "Undefined Data Model Element"),
    "UNIMPLEMENTED_DATA_MODEL_ELEMENT": ErrorDef(402, "Unimplemented Data Model Element"),
    "DATA_MODEL_ELEMENT_VALUE_NOT_INITIALIZED": ErrorDef(
        403, "Data Model Element Value Not Initialized"
    ),
    "DATA_MODEL_ELEMENT_IS_READ_ONLY": ErrorDef(404, "Data Model Element Is Read Only"),
    "DATA_MODEL_ELEMENT_IS_WRITE_ONLY": ErrorDef(405, "Data Model Element Is Write Only"),
    "DATA_MODEL_ELEMENT_TYPE_MISMATCH": ErrorDef(406, "Data Model Element Type Mismatch"),
    "DATA_MODEL_ELEMENT_VALUE_OUT_OF_RANGE": ErrorDef(
        407, "Data Model Element Value Out Of Range"
    ),
    "DATA_MODEL_DEPENDENCY_NOT_ESTABLISHED": ErrorDef(
        408, "Data Model Dependency Not Established"
    ),
}

ERRORS: dict[Version, dict[str, ErrorDef]] = {"1.2": ERRORS_12, "2004": ERRORS_2004}

#: condition -> (name reported by SCORM 1.2, name reported by SCORM 2004).
#: Sources: rte-api.md sections 3-4, cmi-1.2.md 4.5, cmi-2004.md 5.4, the ADL Sample RTE
#: ``APIErrorManager`` (no-children / no-count / no-version / out-of-range all map to 301).
CONDITIONS: dict[str, tuple[str, str]] = {
    "NO_ERROR": ("NO_ERROR", "NO_ERROR"),
    "GENERAL_EXCEPTION": ("GENERAL_EXCEPTION", "GENERAL_EXCEPTION"),
    # state machine (rte-api.md 3)
    "INITIALIZATION_FAILED": ("GENERAL_EXCEPTION", "GENERAL_INITIALIZATION_FAILURE"),
    "ALREADY_INITIALIZED": ("GENERAL_EXCEPTION", "ALREADY_INITIALIZED"),
    "INITIALIZE_AFTER_TERMINATE": ("GENERAL_EXCEPTION", "CONTENT_INSTANCE_TERMINATED"),
    "TERMINATION_FAILED": ("GENERAL_EXCEPTION", "GENERAL_TERMINATION_FAILURE"),
    "TERMINATE_BEFORE_INITIALIZE": ("NOT_INITIALIZED", "TERMINATION_BEFORE_INITIALIZATION"),
    "TERMINATE_AFTER_TERMINATE": ("GENERAL_EXCEPTION", "TERMINATION_AFTER_TERMINATION"),
    "GET_BEFORE_INITIALIZE": ("NOT_INITIALIZED", "RETRIEVE_DATA_BEFORE_INITIALIZATION"),
    "GET_AFTER_TERMINATE": ("GENERAL_EXCEPTION", "RETRIEVE_DATA_AFTER_TERMINATION"),
    "SET_BEFORE_INITIALIZE": ("NOT_INITIALIZED", "STORE_DATA_BEFORE_INITIALIZATION"),
    "SET_AFTER_TERMINATE": ("GENERAL_EXCEPTION", "STORE_DATA_AFTER_TERMINATION"),
    "COMMIT_BEFORE_INITIALIZE": ("NOT_INITIALIZED", "COMMIT_BEFORE_INITIALIZATION"),
    "COMMIT_AFTER_TERMINATE": ("GENERAL_EXCEPTION", "COMMIT_AFTER_TERMINATION"),
    "COMMIT_FAILED": ("GENERAL_EXCEPTION", "GENERAL_COMMIT_FAILURE"),
    "ARGUMENT_ERROR": ("INVALID_ARGUMENT", "GENERAL_ARGUMENT_ERROR"),
    # element names
    "EMPTY_GET_NAME": ("INVALID_ARGUMENT", "GENERAL_GET_FAILURE"),
    "EMPTY_SET_NAME": ("INVALID_ARGUMENT", "GENERAL_SET_FAILURE"),
    "UNDEFINED_ELEMENT": ("INVALID_ARGUMENT", "UNDEFINED_DATA_MODEL_ELEMENT"),
    "FOREIGN_ELEMENT": ("NOT_IMPLEMENTED", "UNDEFINED_DATA_MODEL_ELEMENT"),
    "UNIMPLEMENTED_ELEMENT": ("NOT_IMPLEMENTED", "UNIMPLEMENTED_DATA_MODEL_ELEMENT"),
    # keywords
    "NO_CHILDREN": ("ELEMENT_CANNOT_HAVE_CHILDREN", "GENERAL_GET_FAILURE"),
    "NO_COUNT": ("ELEMENT_NOT_AN_ARRAY", "GENERAL_GET_FAILURE"),
    "NO_VERSION": ("INVALID_ARGUMENT", "GENERAL_GET_FAILURE"),
    "KEYWORD_IS_READ_ONLY": ("INVALID_SET_VALUE_KEYWORD", "DATA_MODEL_ELEMENT_IS_READ_ONLY"),
    # collections
    "INDEX_OUT_OF_RANGE": ("INVALID_ARGUMENT", "GENERAL_GET_FAILURE"),
    "SET_OUT_OF_ORDER": ("INVALID_ARGUMENT", "GENERAL_SET_FAILURE"),
    "NOT_UNIQUE": ("GENERAL_EXCEPTION", "GENERAL_SET_FAILURE"),
    "WRITE_ONCE": ("GENERAL_EXCEPTION", "GENERAL_SET_FAILURE"),
    "MAX_COUNT_EXCEEDED": ("GENERAL_EXCEPTION", "GENERAL_SET_FAILURE"),
    "DEPENDENCY_NOT_ESTABLISHED": ("GENERAL_EXCEPTION", "DATA_MODEL_DEPENDENCY_NOT_ESTABLISHED"),
    # access and values
    "READ_ONLY": ("ELEMENT_IS_READ_ONLY", "DATA_MODEL_ELEMENT_IS_READ_ONLY"),
    "WRITE_ONLY": ("ELEMENT_IS_WRITE_ONLY", "DATA_MODEL_ELEMENT_IS_WRITE_ONLY"),
    "VALUE_NOT_INITIALIZED": ("NO_ERROR", "DATA_MODEL_ELEMENT_VALUE_NOT_INITIALIZED"),
    "TYPE_MISMATCH": ("INCORRECT_DATA_TYPE", "DATA_MODEL_ELEMENT_TYPE_MISMATCH"),
    "VALUE_OUT_OF_RANGE": ("INCORRECT_DATA_TYPE", "DATA_MODEL_ELEMENT_VALUE_OUT_OF_RANGE"),
    "SPM_EXCEEDED": ("INCORRECT_DATA_TYPE", "GENERAL_SET_FAILURE"),
}


class DataModelError(Exception):
    """A rule was broken. ``condition`` is a key of :data:`CONDITIONS`.

    :param condition: what went wrong, version-neutral (``"TYPE_MISMATCH"``).
    :param detail: a short human sentence for ``GetDiagnostic``.
    """

    def __init__(self, condition: str, detail: str = "") -> None:
        if condition not in CONDITIONS:
            raise KeyError(f"unknown data model condition {condition!r}")
        super().__init__(f"{condition}: {detail}" if detail else condition)
        self.condition = condition
        self.detail = detail


def error_name(version: Version, condition: str) -> str:
    """The symbolic error name ``version`` reports for ``condition``."""
    names = CONDITIONS[condition]
    return names[0] if version == "1.2" else names[1]


def error_code(version: Version, condition: str) -> int:
    """The numeric code ``version`` reports for ``condition``."""
    return ERRORS[version][error_name(version, condition)].code


def error_string(version: Version, code: str) -> str:
    """``GetErrorString(code)``: the standard text, or ``""`` for a code the version lacks.

    Only the canonical spelling counts: ``"001"`` and ``"1444"`` are unknown (ADL CTS API 3).
    """
    for definition in ERRORS[version].values():
        if str(definition.code) == code:
            return definition.text
    return ""
