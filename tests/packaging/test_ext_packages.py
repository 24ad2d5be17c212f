"""Real third-party packages behave as /work/shared/ext-packages/README.md says.

The folder sits next to the repository (``../shared/ext-packages``) and is never copied in;
the module is skipped where it is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest

from scorm_player.packaging import (
    Code,
    ImportResult,
    Package,
    PackageRejected,
    import_package,
    inspect_package,
)
from scorm_player.packaging.launch import file_path

EXT = Path(__file__).resolve().parents[3] / "shared" / "ext-packages"

if not (EXT / "README.md").is_file():
    pytest.skip(f"no third-party packages at {EXT}", allow_module_level=True)


def _readme_rows() -> dict[str, str]:
    """README table: zip file name → its "expected import" column."""
    rows = {}
    for line in (EXT / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0].endswith(".zip"):
            rows[cells[0]] = cells[-1]
    return rows


README = _readme_rows()


def _launchables(package: Package) -> list:
    assert package.organization is not None
    return package.organization.launchable_items()


def _golf_12_single(result: ImportResult) -> None:
    (sco,) = _launchables(result.package)
    assert (sco.launch_url, sco.scorm_type) == ("shared/launchpage.html", "sco")


def _complex(result: ImportResult) -> None:
    items = list(result.package.organization.walk())
    assert len(items) == 8 and any(item.children for item in items)  # nested items
    assert {item.scorm_type for item in _launchables(result.package)} == {"sco", "asset"}


def _one_file_per_sco(result: ImportResult) -> None:
    leaves = [i for i in result.package.organization.walk() if i.is_leaf]
    assert len(leaves) == 18
    assert all(leaf.is_launchable and leaf.scorm_type == "asset" for leaf in leaves)


def _advanced_calls(result: ImportResult) -> None:
    (sco,) = _launchables(result.package)
    primary = sco.sequencing.primary_objective
    assert (primary.satisfied_by_measure, primary.min_normalized_measure) == (True, 0.8)


def _forced_sequential(result: ImportResult) -> None:
    organization = result.package.organization
    assert organization.sequencing.control_mode.flow is True
    actions = {r.action for i in organization.walk() if i.sequencing for r in i.sequencing.rules}
    assert "disabled" in actions
    assert {i.sequencing.id_ref for i in organization.launchable_items()} == {"common_seq_rules"}


def _remediation(result: ImportResult) -> None:
    organization = result.package.organization
    assert organization.objectives_global_to_system is False
    targets = {
        info.target_objective_id
        for item in organization.launchable_items()
        for objective in item.sequencing.objectives
        for info in objective.map_info
    }
    assert len(targets) == 4 and all(t.endswith("_satisfied") for t in targets)


def _missing_organization(result: ImportResult) -> None:
    assert Code.ORGANIZATIONS_EMPTY in [f.code for f in result.report.warnings]
    (sco,) = _launchables(result.package)
    assert sco.scorm_type == "sco"


def _nothing_more(result: ImportResult) -> None:
    assert result.package.organization.launchable_items()


#: file → (version label, extra check) for "ok", or (refusal code, None) for "rejected".
EXPECTED: dict[str, tuple[str | Code, Callable[[ImportResult], None] | None]] = {
    "moodle-golf12-singlesco.zip": ("SCORM 1.2", _golf_12_single),
    "moodle-golf12-runtimebasic.zip": ("SCORM 1.2", _golf_12_single),
    "moodle-complexscorm.zip": ("SCORM 1.2", _complex),
    "golf12-onefilepersco.zip": ("SCORM 1.2", _one_file_per_sco),
    "golf2004-2nd-singlesco.zip": ("SCORM 2004 2nd Edition", _nothing_more),
    "golf2004-3rd-advancedcalls.zip": ("SCORM 2004 3rd Edition", _advanced_calls),
    "golf2004-3rd-forcedseq.zip": ("SCORM 2004 3rd Edition", _forced_sequential),
    "golf2004-3rd-remediation.zip": ("SCORM 2004 3rd Edition", _remediation),
    "moodle-missingorg.zip": ("SCORM 1.2", _missing_organization),
    "bad12-malformedxml.zip": (Code.MANIFEST_MALFORMED, None),
    "moodle-invalid-nomanifest.zip": (Code.MANIFEST_MISSING, None),
}
OK = [name for name, (expected, _) in EXPECTED.items() if not isinstance(expected, Code)]
REJECTED = [name for name, (expected, _) in EXPECTED.items() if isinstance(expected, Code)]


def test_every_package_in_the_folder_has_an_expectation() -> None:
    assert sorted(p.name for p in EXT.glob("*.zip")) == sorted(EXPECTED)
    assert sorted(README) == sorted(EXPECTED)


def test_our_expectations_agree_with_the_readme() -> None:
    for name in OK:
        assert README[name].startswith(("ok", "either imported")), name
    for name in REJECTED:
        assert README[name].startswith("rejected"), name


@pytest.mark.parametrize("name", OK)
def test_imports(name: str, tmp_path: Path) -> None:
    label, check = EXPECTED[name]
    result = import_package(EXT / name, tmp_path / "out")
    assert result.package.version_label == label
    assert result.report.errors == []
    for item in _launchables(result.package):
        path = unquote(file_path(item.launch_url))
        assert (tmp_path / "out" / path).is_file(), item.launch_url
    assert check is not None
    check(result)


@pytest.mark.parametrize("name", REJECTED)
def test_is_refused(name: str) -> None:
    code, _ = EXPECTED[name]
    with pytest.raises(PackageRejected) as caught:
        inspect_package(EXT / name)
    assert [e.code for e in caught.value.report.errors] == [code]


def test_malformed_xml_is_refused_with_line_and_column() -> None:
    """README: "rejected: malformed XML, with line and column"."""
    with pytest.raises(PackageRejected) as caught:
        inspect_package(EXT / "bad12-malformedxml.zip")
    (error,) = caught.value.report.errors
    assert (error.line, error.column) == (27, 20)
    assert error.message.startswith("imsmanifest.xml could not be read: Opening and ending tag")
    assert error.message.endswith("(line 27).")
