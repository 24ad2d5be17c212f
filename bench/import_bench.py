"""Import benchmark: scorm-player's importer against `unzip -q` on the same zip.

Generates a SCORM 2004 package of 2,000 files / 200 MB whose manifest has 2,000 items, then
measures, in the same run and on the same zip:

- the wall time of ``unzip -q`` (the baseline) and of ``import_package`` (zip checks, manifest
  parse, file checks, extraction), reported as a ratio (goal: <= 1.5);
- the peak RSS of a fresh process that does the import (goal: under 150 MB).

Usage: ``python bench/import_bench.py [--files 2000] [--megabytes 200] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

_MANIFEST_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Benchmark course</title>
"""


def build_package(path: Path, files: int, total_bytes: int) -> None:
    """A zip of ``files`` files: one SCO per file, 80% incompressible media, 20% text."""
    size = total_bytes // files
    items = []
    resources = []
    text_block = (b"<p>SCORM benchmark page with some ordinary, compressible text.</p>\n" * 64)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n in range(files):
            if n % 5 == 0:
                name = f"content/module{n // 100:02d}/page{n:04d}.html"
                data = (text_block * (size // len(text_block) + 1))[:size]
            else:
                name = f"content/module{n // 100:02d}/media{n:04d}.bin"
                data = os.urandom(size)
            archive.writestr(name, data)
            items.append(
                f'<item identifier="item{n}" identifierref="res{n}"><title>Item {n}</title></item>'
            )
            resources.append(
                f'<resource identifier="res{n}" type="webcontent" adlcp:scormType="sco" '
                f'href="{name}"><file href="{name}"/></resource>'
            )
        manifest = (
            _MANIFEST_HEAD
            + "\n".join(items)
            + "</organization></organizations>\n<resources>\n"
            + "\n".join(resources)
            + "\n</resources></manifest>\n"
        )
        archive.writestr("imsmanifest.xml", manifest)


def time_unzip(package: Path, work: Path) -> float:
    target = work / "unzip-out"
    started = time.perf_counter()
    subprocess.run(["unzip", "-q", str(package), "-d", str(target)], check=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(target)
    return elapsed


_CHILD = """
import resource, sys, time
from pathlib import Path
from scorm_player.packaging import import_package
started = time.perf_counter()
result = import_package(Path(sys.argv[1]), Path(sys.argv[2]))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, peak, result.stats.files, len(list(result.package.organization.walk())))
"""


def time_import(package: Path, work: Path) -> tuple[float, float, int, int]:
    """Import in a fresh interpreter so its peak RSS is the importer's alone."""
    target = work / "import-out"
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(package), str(target)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    shutil.rmtree(target)
    return float(out[0]), int(out[1]) / 1024, int(out[2]), int(out[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="scorm-bench-") as tmp:
        work = Path(tmp)
        package = work / "bench.zip"
        print(f"building a package of {args.files} files / {args.megabytes} MB ...", flush=True)
        build_package(package, args.files, args.megabytes * 1024 * 1024)
        print(f"zip size: {package.stat().st_size / 1e6:.1f} MB")

        unzip_times, import_times, peaks = [], [], []
        for _ in range(args.runs):  # interleaved so both see the same page-cache state
            unzip_times.append(time_unzip(package, work))
            elapsed, peak, files, items = time_import(package, work)
            import_times.append(elapsed)
            peaks.append(peak)

        baseline = statistics.median(unzip_times)
        ours = statistics.median(import_times)
        print(f"files extracted: {files}, manifest items: {items}")
        print(f"unzip -q (baseline): median {baseline:.2f} s over {args.runs} runs")
        print(f"import_package:      median {ours:.2f} s over {args.runs} runs")
        print(f"ratio import/unzip:  {ours / baseline:.2f}  (goal <= 1.5)")
        print(f"peak RSS of import:  {max(peaks):.0f} MB  (goal < 150 MB)")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"(bench driver's own peak RSS: {own:.0f} MB)")


if __name__ == "__main__":
    main()
