"""Packaging: zip safety, manifest parsing, the package model and the import report.

Pure Python: nothing here imports Flask or SQLAlchemy, so the importer can run from the CLI,
from a web request or from a test with no application around it.
"""

from scorm_player.packaging.importer import ImportResult, import_package, inspect_package
from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.model import Edition, Item, Organization, Package, Resource, ScormVersion
from scorm_player.packaging.report import Code, Finding, ImportReport, PackageRejected, Severity

__all__ = [
    "Code",
    "Edition",
    "Finding",
    "ImportLimits",
    "ImportReport",
    "ImportResult",
    "Item",
    "Organization",
    "Package",
    "PackageRejected",
    "Resource",
    "ScormVersion",
    "Severity",
    "import_package",
    "inspect_package",
]
