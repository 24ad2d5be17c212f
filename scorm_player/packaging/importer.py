"""Import a package: check the zip, parse the manifest, check the files, extract.

The order matters for safety and for the author: the zip's central directory is checked
before anything is read; the manifest is parsed and the launch files are checked against
the zip's listing before a single byte is written; only a package with no error is
extracted, into a folder that does not exist yet, and that folder is removed again if
extraction fails. A rejected package therefore leaves nothing behind.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from scorm_player.packaging.archive import ExtractStats, SafeArchive
from scorm_player.packaging.checks import check_files
from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.manifest import parse_manifest
from scorm_player.packaging.model import Package
from scorm_player.packaging.report import Code, ImportReport, PackageRejected

MANIFEST_NAME = "imsmanifest.xml"
_AICC_SUFFIXES = (".au", ".crs", ".cst", ".des")

Source = str | os.PathLike[str] | BinaryIO


@dataclass
class ImportResult:
    """A package that passed every check, and (when extracted) where its files went."""

    package: Package
    report: ImportReport
    stats: ExtractStats | None = None


def inspect_package(source: Source, limits: ImportLimits | None = None) -> ImportResult:
    """Check a package without extracting it. Raises ``PackageRejected`` on any error."""
    limits = limits or ImportLimits()
    report = ImportReport()
    with _open(source, limits, report) as archive:
        package = _read_package(archive, limits, report)
    return ImportResult(package, report)


def import_package(
    source: Source, destination: Path, limits: ImportLimits | None = None
) -> ImportResult:
    """Check a package and extract its files into ``destination`` (which must not exist).

    The files are laid out relative to the manifest's folder, so ``launch_url`` values in the
    model resolve against ``destination``. Raises ``PackageRejected`` with the full report.
    """
    limits = limits or ImportLimits()
    report = ImportReport()
    with _open(source, limits, report) as archive:
        package = _read_package(archive, limits, report)
        stats = archive.extract(package.root, destination)
    return ImportResult(package, report, stats)


def _open(source: Source, limits: ImportLimits, report: ImportReport) -> SafeArchive:
    archive = SafeArchive.open(source, limits, report)
    if archive is None or not report.ok:
        if archive is not None:
            archive.close()
        raise PackageRejected(report)
    return archive


def _read_package(archive: SafeArchive, limits: ImportLimits, report: ImportReport) -> Package:
    manifest = locate_manifest(archive.names, report)
    if manifest is None:
        raise PackageRejected(report)
    root = posixpath.dirname(manifest)
    root = f"{root}/" if root else ""
    data = archive.read(manifest, limits.max_manifest_bytes)
    package = parse_manifest(data, file=manifest, report=report, limits=limits)
    if package is None or not report.ok:
        raise PackageRejected(report)
    package.root = root
    check_files(package, _finder(archive, root), report, limits=limits, manifest_file=manifest)
    if not report.ok:
        raise PackageRejected(report)
    return package


def _finder(archive: SafeArchive, root: str):
    """Look up a path relative to the package root in the zip; answer relative to the root."""

    def find(path: str) -> str | None:
        found = archive.find(root + path)
        if found is None or not found.startswith(root):
            return None
        return found[len(root) :]

    return find


def locate_manifest(names: list[str], report: ImportReport) -> str | None:
    """The shallowest ``imsmanifest.xml`` (any case), warning when it is not at the root."""
    candidates = [n for n in names if posixpath.basename(n).lower() == MANIFEST_NAME]
    if not candidates:
        if any(n.lower().endswith(_AICC_SUFFIXES) for n in names):
            report.error(
                Code.AICC_UNSUPPORTED,
                "This looks like an AICC package (it has .au/.crs/.cst/.des files and no "
                "imsmanifest.xml). AICC packages are not supported.",
                hint="Export the course from your authoring tool as SCORM 1.2 or SCORM 2004.",
            )
        else:
            report.error(
                Code.MANIFEST_MISSING,
                "This is not a SCORM package: no imsmanifest.xml was found.",
                hint="Export the course as SCORM and upload the zip the tool produced, "
                "without unzipping and re-zipping it.",
            )
        return None
    manifest = min(candidates, key=lambda n: (n.count("/"), n))
    if "/" in manifest:
        report.warning(
            Code.MANIFEST_NOT_AT_ROOT,
            f"imsmanifest.xml is in the folder '{posixpath.dirname(manifest)}/', not at the "
            "root of the zip; that folder was used as the package root.",
            file=manifest,
            hint="Zip the contents of the course folder, not the folder itself.",
        )
    if posixpath.basename(manifest) != MANIFEST_NAME:
        report.warning(
            Code.MANIFEST_FILENAME_CASE,
            f"The manifest is named '{posixpath.basename(manifest)}'; SCORM requires "
            "'imsmanifest.xml' in lower case.",
            file=manifest,
        )
    return manifest
