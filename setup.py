"""Build hook: ship the top-level static/ and templates/ folders inside the package.

Everything else lives in setup.cfg. ``find_packages`` cannot see ``static`` and ``templates``
because they sit beside the package, not in it; ``package_dir`` in setup.cfg maps them to
``scorm_player.static`` and ``scorm_player.templates``, and they are named here.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["scorm_player", "scorm_player.*"])
    + ["scorm_player.static", "scorm_player.templates"],
)
