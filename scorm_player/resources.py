"""Where the package's web assets live, in a source checkout and in an installed wheel.

In the repository ``static/`` and ``templates/`` sit at the top level (the project's layout);
a wheel installs them inside the package as ``scorm_player/static`` and
``scorm_player/templates`` (see ``package_dir`` in setup.cfg). Look inside the package first.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def static_dir() -> Path:
    return _resource_dir("static")


def templates_dir() -> Path:
    return _resource_dir("templates")


def demo_course_dir() -> Path:
    """The demo course shipped with the package (a folder, zipped on import)."""
    return _PACKAGE_DIR / "demo" / "course"


def source_checkout_root() -> Path | None:
    """The repository root when running from a checkout (it has packages/README.md)."""
    root = _PACKAGE_DIR.parent
    return root if (root / "packages" / "README.md").is_file() else None
