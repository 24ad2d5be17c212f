"""Check the manifest against the files in the zip (cam-packaging.md §1, §3.3, §9).

Only the launch files of the delivered (default) organization must exist: a missing one is an
error, because the learner would get a broken page. Everything else is inventory: files listed
in ``<file>`` but absent, and dependencies naming no resource, are warnings, since neither stops
a launch. Look-ups are tolerant (exact, percent-decoded, then case-insensitive); a launch path
found only under another letter case is repaired to the real name, with a warning, so the
content works on a case-sensitive server.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit

from scorm_player.packaging.launch import file_path, has_scheme, is_web_url
from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.model import Item, Package
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.values import Tally

#: ``find(path)``: the real path, relative to the package root, of a zip member matching
#: ``path`` (exact, percent-decoded, or in another case), or None.
Finder = Callable[[str], "str | None"]

_URL_SAFE = "/:@!$&'()*+,;=-._~"


def check_files(
    package: Package,
    find: Finder,
    report: ImportReport,
    *,
    limits: ImportLimits,
    manifest_file: str,
) -> None:
    """Look up every launch file of the default organization, then its resources' inventory."""
    organization = package.organization
    if organization is None:
        return
    checker = _Checker(find, report, limits, manifest_file)
    launched: dict[str, None] = {}  # resource ids in launch order, once each
    for item in organization.walk():
        if item.launch_url is None:
            continue
        checker.launch(item)
        if item.resource_id is not None:
            launched.setdefault(item.resource_id)
    checker.inventory(package, list(launched))


class _Checker:
    def __init__(
        self, find: Finder, report: ImportReport, limits: ImportLimits, manifest_file: str
    ) -> None:
        self.find, self.report, self.limits, self.file = find, report, limits, manifest_file
        self._repaired: set[str] = set()
        self._missing_launch: set[str] = set()  # already an error; not repeated as inventory

    def launch(self, item: Item) -> None:
        url = item.launch_url or ""
        where = {"file": self.file, "line": item.line}
        if is_web_url(url):
            self._external(item, url)
            return
        path = "" if has_scheme(url) else file_path(url)
        found = self.find(path) if path else None
        if found is None:
            shown = path or url
            self._missing_launch.add(unquote(shown))
            self.report.error(
                Code.LAUNCH_FILE_MISSING,
                f"Item '{item.title}' launches '{shown}', which is not in the package.",
                hint=f"Add '{unquote(shown)}' to the zip, or correct the href of resource "
                f"'{item.resource_id}' (paths are relative to the folder of imsmanifest.xml).",
                **where,
            )
            return
        if found in (path, unquote(path)):
            return
        fixed = quote(found, safe=_URL_SAFE) if "%" in path else found
        item.launch_url = fixed + url[len(path) :]
        if path not in self._repaired:
            self._repaired.add(path)
            self.report.warning(
                Code.HREF_CASE_MISMATCH,
                f"Item '{item.title}' launches '{path}', but the package has '{found}'; the "
                "real name is used.",
                hint="File names are case-sensitive on most web servers; match the href to "
                "the file name exactly.",
                **where,
            )

    def _external(self, item: Item, url: str) -> None:
        host = urlsplit(url).hostname or url
        where = {"file": self.file, "line": item.line}
        if not self.limits.allow_external_urls:
            self.report.error(
                Code.RESOURCE_EXTERNAL_URL,
                f"This package launches external content ({host}), which is not allowed here.",
                hint=f"Item '{item.title}' opens {url}; include the content in the package.",
                **where,
            )
            return
        self.report.warning(
            Code.RESOURCE_EXTERNAL_URL,
            f"Item '{item.title}' launches external content ({url}). It is not in the "
            "package, and it cannot reach this player's SCORM API from another site, so its "
            "progress may not be tracked.",
            **where,
        )

    def inventory(self, package: Package, launched: list[str]) -> None:
        """Follow dependencies from the launched resources (a visited set: cycles occur)."""
        missing = Tally(Code.FILE_LISTED_MISSING)
        visited: set[str] = set()
        stack = list(reversed(launched))
        while stack:
            resource_id = stack.pop()
            if resource_id in visited:
                continue
            visited.add(resource_id)
            resource = package.resources.get(resource_id)
            if resource is None:
                continue
            for path in resource.files:
                listed = file_path(path)
                if has_scheme(path) or unquote(listed) in self._missing_launch:
                    continue
                if self.find(listed) is None:
                    missing.add(f"'{path}'", resource.line)
            for dependency in reversed(resource.dependencies):
                if dependency in package.resources:
                    stack.append(dependency)
                else:
                    self.report.warning(
                        Code.DEPENDENCY_MISSING,
                        f"Resource '{resource.identifier}' depends on resource '{dependency}', "
                        "which is not declared in the manifest.",
                        file=self.file,
                        line=resource.line,
                        hint="Declare that resource, or remove the <dependency>.",
                    )
        missing.report(
            self.report,
            self.file,
            "{count} file(s) listed in the manifest are not in the package ({examples}). "
            "They are not needed to start the content, but it may be incomplete.",
            "Add the files to the zip, or remove their <file> entries.",
        )
