"""The CMI data model of SCORM 1.2 and SCORM 2004 4th Edition, pure Python.

One definition serves the server (``CMIRuntime``, ``rules``) and the JavaScript API adapter
(``export_json``): element tables (``elements_12``, ``elements_2004``), data types
(``types``), response formats (``responses``), error codes (``errors``), the compatibility
policy (``policy``) and the LMS-side rules (``rules``). Nothing here imports Flask or
SQLAlchemy.
"""

from scorm_player.datamodel.elements_12 import MODEL_12
from scorm_player.datamodel.elements_2004 import MODEL_2004
from scorm_player.datamodel.errors import (
    CONDITIONS,
    ERRORS,
    DataModelError,
    Version,
    error_code,
    error_string,
)
from scorm_player.datamodel.export import export_json
from scorm_player.datamodel.policy import LENIENT, STRICT, Policy, Relaxation, get_policy
from scorm_player.datamodel.rules import SessionOutcome, end_session, next_launch
from scorm_player.datamodel.runtime import MODELS, ChangeError, CMIRuntime, DataMap
from scorm_player.datamodel.schema import Access, Collection, DataModel, Element

__all__ = [
    "CONDITIONS",
    "ERRORS",
    "LENIENT",
    "MODELS",
    "MODEL_12",
    "MODEL_2004",
    "STRICT",
    "Access",
    "CMIRuntime",
    "ChangeError",
    "Collection",
    "DataMap",
    "DataModel",
    "DataModelError",
    "Element",
    "Policy",
    "Relaxation",
    "SessionOutcome",
    "Version",
    "end_session",
    "error_code",
    "error_string",
    "export_json",
    "get_policy",
    "next_launch",
]
