"""The import report: every problem found in a package, with a code, a message and a place.

A course author reads this report, so messages say what is wrong and how to fix it in the
author's terms (file, line, identifier), never in ours. Codes are stable strings that tests,
the CLI's ``--json`` output and host integrations can match on.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """An error rejects the package; a warning is recorded and the import goes on."""

    ERROR = "error"
    WARNING = "warning"


class Code(str, enum.Enum):
    """Every finding the importer can report. The value is what users and tests see."""

    # The archive itself (packaging/archive.py)
    ZIP_UNREADABLE = "zip_unreadable"
    ZIP_ENCRYPTED = "zip_encrypted"
    ZIP_UNSAFE_PATH = "zip_unsafe_path"
    ZIP_SYMLINK = "zip_symlink"
    ZIP_SPECIAL_FILE = "zip_special_file"
    ZIP_DUPLICATE_NAME = "zip_duplicate_name"
    ZIP_CASE_COLLISION = "zip_case_collision"
    ZIP_NAME_ENCODING = "zip_name_encoding"
    ZIP_PATH_TOO_LONG = "zip_path_too_long"
    ZIP_TOO_MANY_MEMBERS = "zip_too_many_members"
    ZIP_TOO_LARGE = "zip_too_large"
    ZIP_BOMB = "zip_bomb"
    ZIP_CORRUPT_MEMBER = "zip_corrupt_member"
    ZIP_IGNORED_MEMBER = "zip_ignored_member"  # warning: __MACOSX/, .DS_Store, Thumbs.db

    # Finding and reading the manifest (packaging/manifest.py, packaging/xml.py)
    MANIFEST_MISSING = "manifest_missing"
    AICC_UNSUPPORTED = "aicc_unsupported"
    MANIFEST_NOT_AT_ROOT = "manifest_not_at_root"  # warning
    MANIFEST_FILENAME_CASE = "manifest_filename_case"  # warning
    MANIFEST_TOO_LARGE = "manifest_too_large"
    MANIFEST_MALFORMED = "manifest_malformed"
    MANIFEST_FORBIDDEN_DTD = "manifest_forbidden_dtd"  # DOCTYPE / entities: XXE, billion laughs
    MANIFEST_RECOVERED = "manifest_recovered"  # warning: parsed only in recover mode
    MANIFEST_ENCODING = "manifest_encoding"  # warning: BOM / wrong declared encoding repaired
    MANIFEST_BAD_ROOT = "manifest_bad_root"

    # Version detection
    VERSION_GUESSED = "version_guessed"  # warning: schemaversion missing or not decisive
    VERSION_NORMALISED = "version_normalised"  # warning: odd spelling of schemaversion

    # Structure (organizations, items, resources)
    ORGANIZATION_DEFAULT_MISSING = "organization_default_missing"  # warning
    ORGANIZATIONS_EMPTY = "organizations_empty"  # warning: one item per resource made up
    DUPLICATE_IDENTIFIER = "duplicate_identifier"
    ITEM_BAD_IDENTIFIERREF = "item_bad_identifierref"
    ITEM_TITLE_MISSING = "item_title_missing"  # warning
    ITEM_CLUSTER_WITH_RESOURCE = "item_cluster_with_resource"  # warning (2004)
    ITEM_LEAF_WITHOUT_RESOURCE = "item_leaf_without_resource"  # warning (2004)
    RESOURCE_NO_HREF = "resource_no_href"
    RESOURCE_EXTERNAL_URL = "resource_external_url"  # warning or error (site policy)
    SCORMTYPE_SPELLING = "scormtype_spelling"  # warning
    SCORMTYPE_MISSING = "scormtype_missing"  # warning
    HREF_NORMALISED = "href_normalised"  # warning: backslashes, leading ./ or /
    HREF_CASE_MISMATCH = "href_case_mismatch"  # warning
    LAUNCH_FILE_MISSING = "launch_file_missing"
    FILE_LISTED_MISSING = "file_listed_missing"  # warning
    DEPENDENCY_MISSING = "dependency_missing"  # warning
    NO_LAUNCHABLE_CONTENT = "no_launchable_content"
    SUBMANIFEST_NESTED_TOO_DEEP = "submanifest_nested_too_deep"  # warning
    UNDECLARED_PREFIX = "undeclared_prefix"  # warning
    BAD_VALUE = "bad_value"  # warning: a value we could default (boolean, decimal, ...)

    # Sequencing definitions (2004)
    SEQUENCING_IDREF_MISSING = "sequencing_idref_missing"
    SEQUENCING_BAD_VALUE = "sequencing_bad_value"


@dataclass(frozen=True)
class Finding:
    """One problem in a package, located as precisely as we can."""

    code: Code
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["code"] = self.code.value
        data["severity"] = self.severity.value
        return data

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        prefix = f"{where}: " if where else ""
        text = f"{prefix}{self.severity.value} [{self.code.value}] {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class ImportReport:
    """What an import found. The import succeeds when there is no error."""

    findings: list[Finding] = field(default_factory=list)

    def error(self, code: Code, message: str, **where: Any) -> Finding:
        return self._add(Finding(code, Severity.ERROR, message, **where))

    def warning(self, code: Code, message: str, **where: Any) -> Finding:
        return self._add(Finding(code, Severity.WARNING, message, **where))

    def _add(self, finding: Finding) -> Finding:
        self.findings.append(finding)
        return finding

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        return [f.code.value for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        report = cls()
        for raw in [*data.get("errors", []), *data.get("warnings", [])]:
            fields = dict(raw)
            fields["code"] = Code(fields["code"])
            fields["severity"] = Severity(fields["severity"])
            report.findings.append(Finding(**fields))
        return report


class PackageRejected(Exception):
    """Raised when a package cannot be imported; carries the report that says why."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        first = report.errors[0] if report.errors else None
        super().__init__(str(first) if first else "package rejected")
