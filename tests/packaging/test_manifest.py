"""parse_manifest: the package model built from imsmanifest.xml (cam-packaging.md §3 to §7)."""

from __future__ import annotations

import pytest

from scorm_player.packaging.model import (
    CompletionThreshold,
    Edition,
    Package,
    ScormVersion,
    SharedDataMap,
)
from scorm_player.packaging.report import Code, Severity
from tests.packaging.manifests import (
    SCORMTYPE_2004,
    codes,
    item,
    manifest,
    only,
    parse,
    resource,
)
from tests.zipping import PACKAGES


def _fixture(name: str) -> Package:
    package, report = parse((PACKAGES / name / "imsmanifest.xml").read_bytes())
    assert package is not None and report.ok, report.findings
    return package


def _items(package: Package) -> dict[str, object]:
    assert package.organization is not None
    return {i.identifier: i for i in package.organization.walk()}


# --- package, version, titles -------------------------------------------------------------


def test_a_single_sco_package() -> None:
    package, report = parse((PACKAGES / "scorm12-single-sco" / "imsmanifest.xml").read_bytes())
    assert report.findings == []
    assert package is not None
    assert (package.identifier, package.version, package.edition) == (
        "com.example.single12", ScormVersion.SCORM_12, None
    )
    assert package.schemaversion_raw == "1.2"
    assert package.title == "Single SCO 1.2"
    assert package.default_organization == "org1"
    (only_item,) = package.organization.items
    assert (only_item.identifier, only_item.title, only_item.launch_url) == (
        "item1", "The only lesson", "index.html"
    )
    assert (only_item.resource_id, only_item.scorm_type, only_item.line) == ("res1", "sco", 12)
    assert package.resources["res1"].files == ["index.html"]


def test_the_title_falls_back_to_the_lom_title_then_the_identifier() -> None:
    lom = (
        '<metadata><schemaversion>1.2</schemaversion><lom xmlns="http://ltsc.ieee.org/xsd/LOM">'
        "<general><title><string>Catalogue title</string></title>"
        "<description><string>What it is about.</string></description></general></lom>"
        "</metadata>"
    )
    with_lom, _ = parse(manifest(item(), resource(), title="", metadata=lom))
    assert with_lom is not None
    assert (with_lom.title, with_lom.description) == ("Catalogue title", "What it is about.")
    bare, _ = parse(manifest(item(), resource(), title=""))
    assert bare is not None and bare.title == "test.manifest"


def test_imsmd_langstring_titles_are_read_too() -> None:
    lom = (
        '<metadata><lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><general>'
        "<title><langstring>IMS MD title</langstring></title></general></lom></metadata>"
    )
    package, _ = parse(manifest(item(), resource(), title="", metadata=lom))
    assert package is not None and package.title == "IMS MD title"


def test_the_version_comes_from_version_detection() -> None:
    package = _fixture("scorm2004-4th-full")
    assert (package.version, package.edition) == (ScormVersion.SCORM_2004, Edition.FOURTH)
    assert package.version_label == "SCORM 2004 4th Edition"


def test_a_root_that_is_not_manifest_is_rejected() -> None:
    package, report = parse(b"<package><lesson/></package>")
    assert package is None
    error = only(report, Code.MANIFEST_BAD_ROOT)
    assert error.message.startswith("imsmanifest.xml could not be read:")
    assert error.line == 1


def test_a_manifest_over_the_size_limit_is_not_parsed() -> None:
    package, report = parse(manifest(item(), resource()), max_manifest_bytes=100)
    assert package is None
    assert codes(report) == [Code.MANIFEST_TOO_LARGE]


def test_elements_are_matched_by_namespace_not_prefix() -> None:
    data = (
        b'<cp:manifest identifier="m" xmlns:cp="http://www.imsproject.org/xsd/imscp_rootv1p1p2"'
        b' xmlns:x="http://www.adlnet.org/xsd/adlcp_rootv1p2">'
        b"<cp:metadata><cp:schemaversion>1.2</cp:schemaversion></cp:metadata>"
        b'<cp:organizations default="o"><cp:organization identifier="o"><cp:title>T</cp:title>'
        b'<cp:item identifier="i" identifierref="r"><cp:title>I</cp:title>'
        b"<x:masteryscore>70</x:masteryscore></cp:item></cp:organization></cp:organizations>"
        b'<cp:resources><cp:resource identifier="r" type="webcontent" x:scormtype="sco" '
        b'href="a.html"/></cp:resources></cp:manifest>'
    )
    package, report = parse(data)
    assert report.findings == []
    assert package is not None
    (the_item,) = package.organization.items
    assert (the_item.launch_url, the_item.mastery_score, the_item.scorm_type) == (
        "a.html", 70.0, "sco"
    )


def test_the_model_survives_a_json_round_trip() -> None:
    package = _fixture("scorm2004-3rd-sequencing")
    assert Package.from_dict(package.to_dict()) == package


# --- organizations (§3.1) -----------------------------------------------------------------


def test_a_missing_default_organization_means_the_first_one() -> None:
    data = manifest(item(), resource()).replace(b'default="org"', b"")
    package, report = parse(data)
    assert package is not None and package.default_organization == "org"
    warning = only(report, Code.ORGANIZATION_DEFAULT_MISSING)
    assert "is missing" in warning.message and warning.severity is Severity.WARNING


def test_a_dangling_default_organization_means_the_first_one() -> None:
    data = manifest(item(), resource()).replace(b'default="org"', b'default="nope"')
    package, report = parse(data)
    assert package is not None and package.default_organization == "org"
    assert "names 'nope'" in only(report, Code.ORGANIZATION_DEFAULT_MISSING).message


def test_other_organizations_are_kept() -> None:
    second = '</organization><organization identifier="org2"><title>Preview</title>' + item("j1")
    package, report = parse(manifest(item() + second, resource()))
    assert package is not None and report.ok
    assert [o.identifier for o in package.organizations] == ["org", "org2"]
    assert package.organization.identifier == "org"


def test_no_organization_makes_one_flat_item_per_resource_with_href() -> None:
    data = manifest("", resource("a", "a.html") + resource("lib", None) + resource("b", "b.html"))
    data = data.replace(b'<organization identifier="org">', b"").replace(b"</organization>", b"")
    data = data.replace(b"<title>Course</title>", b"")
    package, report = parse(data)
    assert package is not None and report.ok
    items = package.organization.items
    assert [(i.identifier, i.title, i.launch_url) for i in items] == [
        ("a", "a", "a.html"), ("b", "b", "b.html")
    ]
    assert codes(report) == [Code.ORGANIZATIONS_EMPTY]


def test_organization_attributes_and_sequencing() -> None:
    organization = _fixture("scorm2004-4th-full").organization
    assert organization.objectives_global_to_system is False
    assert organization.shared_data_global_to_system is False
    assert organization.completion_threshold == CompletionThreshold(True, 0.7, 1.0)
    sequencing = organization.sequencing
    assert sequencing.control_mode.flow is True
    assert sequencing.objectives_global_to_system is False
    assert sequencing.constrained_choice.prevent_activation is True
    assert sequencing.rollup_considerations.required_for_satisfied == "ifAttempted"


# --- items (§3.2) ---------------------------------------------------------------------------


def test_an_empty_title_falls_back_to_the_identifier() -> None:
    untitled = '<item identifier="i1" identifierref="r1"><title> </title></item>'
    package, report = parse(manifest(untitled, resource()))
    assert package.organization.items[0].title == "i1"
    warning = only(report, Code.ITEM_TITLE_MISSING)
    assert (warning.file, warning.line) == ("imsmanifest.xml", 7)


def test_an_invisible_item_stays_in_the_tree() -> None:
    package, report = parse(manifest(item(isvisible="false") + item("i2"), resource()))
    assert [(i.identifier, i.is_visible) for i in package.organization.items] == [
        ("i1", False), ("i2", True)
    ]
    assert report.findings == []


def test_parameters_are_joined_to_the_launch_url() -> None:
    package, _ = parse(manifest(item(parameters="?page=2"), resource(href="a.html#top")))
    (the_item,) = package.organization.items
    assert (the_item.parameters, the_item.launch_url) == ("?page=2", "a.html?page=2#top")


def test_an_identifierref_naming_nothing_is_an_error() -> None:
    package, report = parse(manifest(item(ref="ghost"), resource()))
    assert package is not None
    error = only(report, Code.ITEM_BAD_IDENTIFIERREF)
    assert error.severity is Severity.ERROR
    assert error.message == (
        "Item 'i1' refers to resource 'ghost', which is not declared in the manifest."
    )
    assert (error.file, error.line) == ("imsmanifest.xml", 7)


def test_duplicate_item_identifiers_are_an_error() -> None:
    _, report = parse(manifest(item("i1") + item("i1"), resource()))
    error = only(report, Code.DUPLICATE_IDENTIFIER)
    assert error.severity is Severity.ERROR
    assert "'i1' is used twice in organization 'org'" in error.message


def test_an_item_may_not_reuse_the_organization_identifier() -> None:
    _, report = parse(manifest(item("org"), resource()))
    assert only(report, Code.DUPLICATE_IDENTIFIER).severity is Severity.ERROR


def test_an_item_identifier_reused_in_another_organization_is_a_warning() -> None:
    second = '</organization><organization identifier="org2"><title>Other</title>' + item("i1")
    package, report = parse(manifest(item("i1") + second, resource()))
    assert package is not None and report.ok
    assert only(report, Code.DUPLICATE_IDENTIFIER).severity is Severity.WARNING


def test_a_2004_cluster_with_identifierref_ignores_it_with_a_warning() -> None:
    cluster = item("c", ref="r1", body=item("leaf"))
    package, report = parse(manifest(cluster, resource(attribute=SCORMTYPE_2004), version="2004"))
    cluster_item = package.organization.items[0]
    assert (cluster_item.resource_id, cluster_item.launch_url) == (None, None)
    assert codes(report) == [Code.ITEM_CLUSTER_WITH_RESOURCE]


def test_a_12_parent_with_identifierref_keeps_its_launch_url() -> None:
    items = _items(_fixture("scorm12-multi-sco"))
    module = items["module"]
    assert (module.resource_id, module.launch_url) == ("res_overview", "overview/index.html")
    assert not module.is_launchable  # the model launches leaves; the player may decide
    assert [c.identifier for c in module.children] == ["lesson", "quiz"]


def test_a_2004_leaf_without_identifierref_is_a_disabled_leaf_with_a_warning() -> None:
    items = item() + item("heading", ref=None)
    package, report = parse(manifest(items, resource(), version="2004"))
    heading = package.organization.items[1]
    assert heading.is_leaf and not heading.is_launchable
    assert codes(report) == [Code.SCORMTYPE_SPELLING, Code.ITEM_LEAF_WITHOUT_RESOURCE]


def test_a_12_leaf_without_identifierref_is_a_heading_without_warning() -> None:
    package, report = parse(manifest(item() + item("heading", ref=None), resource()))
    assert report.findings == []
    assert not package.organization.items[1].is_launchable


def test_a_launched_resource_without_href_is_an_error() -> None:
    _, report = parse(manifest(item(), resource(href=None)))
    error = only(report, Code.RESOURCE_NO_HREF)
    assert error.severity is Severity.ERROR and "resource 'r1'" in error.message


def test_nothing_launchable_is_an_error() -> None:
    _, report = parse(manifest(item("heading", ref=None), resource()))
    error = only(report, Code.NO_LAUNCHABLE_CONTENT)
    assert error.message == "The package contains no launchable content."


def test_no_launchable_content_is_not_repeated_after_the_error_that_caused_it() -> None:
    _, report = parse(manifest(item(ref="ghost"), resource()))
    assert codes(report) == [Code.ITEM_BAD_IDENTIFIERREF]


# --- per-item data (§5.1, §5.2) ------------------------------------------------------------


def test_scorm_12_item_data() -> None:
    items = _items(_fixture("scorm12-multi-sco"))
    assert items["intro"].data_from_lms == "mode=intro;lang=en"
    lesson, quiz = items["lesson"], items["quiz"]
    assert (lesson.prerequisites, lesson.prerequisites_type) == ("intro", "aicc_script")
    assert (lesson.max_time_allowed, lesson.time_limit_action) == ("0000:30:00", "exit,message")
    assert quiz.prerequisites == "intro & lesson"
    assert (quiz.mastery_score, quiz.time_limit_action) == (80.0, "continue,no message")
    assert items["glossary"].scorm_type == "asset" and not items["glossary"].is_visible


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        ("<adlcp:masteryscore>101</adlcp:masteryscore>", "mastery_score", None),
        ("<adlcp:maxtimeallowed>30 minutes</adlcp:maxtimeallowed>", "max_time_allowed", None),
        ("<adlcp:timelimitaction>stop</adlcp:timelimitaction>", "time_limit_action", None),
    ],
)
def test_bad_12_item_values_are_dropped_with_a_warning(body: str, field: str, value) -> None:
    package, report = parse(manifest(item(body=body), resource()))
    assert getattr(package.organization.items[0], field) == value
    assert codes(report) == [Code.BAD_VALUE]


def test_time_limit_action_spacing_and_case_are_normalised() -> None:
    body = "<adlcp:timelimitaction> Exit , No Message </adlcp:timelimitaction>"
    package, report = parse(manifest(item(body=body), resource()))
    assert package.organization.items[0].time_limit_action == "exit,no message"
    assert report.findings == []


def test_scorm_2004_3rd_edition_item_data() -> None:
    lesson1 = _items(_fixture("scorm2004-3rd-sequencing"))["lesson1"]
    assert lesson1.completion_threshold == CompletionThreshold(False, 0.75, 1.0)
    assert lesson1.time_limit_action == "continue,no message"
    assert lesson1.data_from_lms == "lesson=1"


def test_scorm_2004_4th_edition_item_data() -> None:
    sco_a = _items(_fixture("scorm2004-4th-full"))["sco_a"]
    assert sco_a.completion_threshold == CompletionThreshold(True, 0.8, 0.5)
    assert sco_a.shared_data == [
        SharedDataMap("notes", True, False),
        SharedDataMap("scores", True, True),
    ]
    assert sco_a.hide_lms_ui == ["continue", "previous"]


def test_completion_threshold_attributes_win_over_text_with_a_warning() -> None:
    body = '<adlcp:completionThreshold minProgressMeasure="0.4">0.9</adlcp:completionThreshold>'
    package, report = parse(
        manifest(item(body=body), resource(attribute=SCORMTYPE_2004), version="4th")
    )
    assert package.organization.items[0].completion_threshold.min_progress_measure == 0.4
    assert "the attributes were used" in only(report, Code.BAD_VALUE).message


def test_an_unknown_hide_lms_ui_value_is_dropped_with_a_warning() -> None:
    body = (
        "<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>exit"
        "</adlnav:hideLMSUI><adlnav:hideLMSUI>help</adlnav:hideLMSUI>"
        "</adlnav:navigationInterface></adlnav:presentation>"
    )
    res = resource(attribute=SCORMTYPE_2004)
    package, report = parse(manifest(item(body=body), res, version="2004"))
    assert package.organization.items[0].hide_lms_ui == ["exit"]
    assert codes(report) == [Code.BAD_VALUE]


def test_item_sequencing_comes_from_sequencing_xml() -> None:
    items = _items(_fixture("scorm2004-3rd-sequencing"))
    lesson1 = items["lesson1"].sequencing
    assert lesson1.id_ref == "content_rules"
    assert [o.objective_id for o in lesson1.objectives] == ["lesson1_obj", "lesson1_extra"]
    assert [r.action for r in lesson1.rules] == ["skip"]  # from the collection
    assert items["lesson2"].sequencing.control_mode.forward_only is True
    assert items["module1"].sequencing.randomization.select_count == 1
    assert items["quiz"].sequencing.limit_conditions.attempt_limit == 3


# --- resources (§3.3) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "written", "version", "scorm_type", "warned"),
    [
        ("adlcp:scormtype", "sco", "1.2", "sco", False),
        ("adlcp:scormtype", "asset", "1.2", "asset", False),
        ("adlcp:scormType", "sco", "2004", "sco", False),
        ("adlcp:scormType", "sco", "1.2", "sco", True),
        ("adlcp:scormtype", "sco", "2004", "sco", True),
        ("adlcp:scormtype", "SCO", "1.2", "sco", True),
        ("adlcp:scormtype", "Asset", "1.2", "asset", True),
        ("adlcp:SCORMTYPE", "sco", "1.2", "sco", True),
        ("scormtype", "sco", "1.2", "sco", True),
    ],
)
def test_scormtype_is_read_in_any_spelling_namespace_and_case(
    attribute: str, written: str, version: str, scorm_type: str, warned: bool
) -> None:
    package, report = parse(
        manifest(item(), resource(scorm_type=written, attribute=attribute), version=version)
    )
    assert package.resources["r1"].scorm_type == scorm_type
    assert package.organization.items[0].scorm_type == scorm_type
    assert codes(report) == ([Code.SCORMTYPE_SPELLING] if warned else [])


def test_scormtype_in_the_other_versions_namespace_is_accepted_with_a_warning() -> None:
    other = ' xmlns:old="http://www.adlnet.org/xsd/adlcp_rootv1p2" old:scormType="sco"'
    res = resource(scorm_type=None, extra=other)
    package, report = parse(manifest(item(), res, version="2004"))
    assert package.resources["r1"].scorm_type == "sco"
    assert codes(report) == [Code.SCORMTYPE_SPELLING]


def test_an_unknown_scormtype_value_means_asset_with_a_warning() -> None:
    package, report = parse(manifest(item(), resource(scorm_type="lesson")))
    assert package.resources["r1"].scorm_type == "asset"
    assert codes(report) == [Code.BAD_VALUE]


def test_a_missing_scormtype_means_asset_with_a_warning() -> None:
    package, report = parse(manifest(item(), resource(scorm_type=None)))
    assert package.resources["r1"].scorm_type == "asset"
    assert codes(report) == [Code.SCORMTYPE_MISSING]


def test_duplicate_resource_identifiers_keep_the_first_with_a_warning() -> None:
    resources = resource(href="first.html") + resource(href="second.html")
    package, report = parse(manifest(item(), resources))
    assert package.organization.items[0].launch_url == "first.html"
    warning = only(report, Code.DUPLICATE_IDENTIFIER)
    assert warning.severity is Severity.WARNING


def test_the_xml_base_chain_reaches_the_launch_url_and_files() -> None:
    package = _fixture("scorm2004-3rd-sequencing")
    lesson = package.resources["res_lesson"]
    assert (lesson.base, lesson.href) == ("course/content/lessons/", "lesson.html")
    assert lesson.files == ["course/content/lessons/lesson.html"]
    items = _items(package)
    assert items["lesson1"].launch_url == "course/content/lessons/lesson.html?page=1"
    assert items["lesson2"].launch_url == "course/content/lessons/lesson.html#chapter3"
    assert items["quiz"].launch_url == "course/content/quiz/index.html?lang=en&mode=test#start"


def test_hrefs_are_not_percent_decoded_and_backslashes_are_repaired() -> None:
    res = resource("r1", "pages\\my%20page.html") + resource("r2", "./b.html")
    package, report = parse(manifest(item() + item("i2", "r2"), res))
    assert [i.launch_url for i in package.organization.items] == [
        "pages/my%20page.html", "b.html"
    ]
    assert codes(report) == [Code.HREF_NORMALISED]


def test_an_absolute_href_ignores_the_bases() -> None:
    res = resource(href="https://cdn.example.com/course/start.html", extra=' xml:base="local/"')
    package, _ = parse(manifest(item(), res))
    assert package.organization.items[0].launch_url == "https://cdn.example.com/course/start.html"


def test_files_and_dependencies_are_inventoried() -> None:
    package = _fixture("scorm12-multi-sco")
    lesson = package.resources["res_lesson"]
    assert (lesson.files, lesson.dependencies) == (["lesson/index.html"], ["res_shared"])
    assert package.resources["res_shared"].href is None


# --- sub-manifests (§7) ---------------------------------------------------------------------


def test_a_leaf_naming_a_sub_manifest_takes_in_its_default_organization() -> None:
    package = _fixture("scorm2004-submanifest")
    unit = package.organization.items[1]
    assert [c.identifier for c in unit.children] == ["unit_page1", "unit_deeper"]
    page = unit.children[0]
    assert (page.resource_id, page.launch_url, page.scorm_type) == (
        "res_page", "unit/page1.html", "sco"
    )


def test_a_sub_manifest_nested_deeper_is_not_grafted() -> None:
    package, report = parse((PACKAGES / "scorm2004-submanifest" / "imsmanifest.xml").read_bytes())
    deeper = package.organization.items[1].children[1]
    assert deeper.children == [] and deeper.launch_url is None
    warning = only(report, Code.SUBMANIFEST_NESTED_TOO_DEEP)
    assert (warning.severity, warning.line) == (Severity.WARNING, 36)


def test_resources_resolve_in_the_sub_manifest_first() -> None:
    sub = (
        '<manifest identifier="sub"><organizations default="so"><organization identifier="so">'
        "<title>S</title>" + item("s1", "r1") + "</organization></organizations><resources>"
        + resource("r1", "sub.html") + "</resources></manifest>"
    )
    items = item("i1", "r1") + item("i2", "sub")
    package, report = parse(manifest(items, resource("r1", "root.html"), extra=sub))
    assert package is not None and report.ok
    launches = [(i.identifier, i.launch_url) for i in package.organization.walk()]
    assert launches == [("i1", "root.html"), ("i2", None), ("s1", "sub.html")]
    assert package.resources["sub/r1"].href == "sub.html"
    assert codes(report) == [Code.DUPLICATE_IDENTIFIER]  # stored under a qualified key
