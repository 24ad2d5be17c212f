"""Compatibility policy: which of the standard's size limits we knowingly relax.

Types, vocabularies and ranges are never relaxed; only lengths are.

- ``lenient`` (default): SCORM 1.2 ``cmi.suspend_data`` may hold up to 64,000 characters
  instead of CMIString4096's 4,096 (real content outgrows 4,096; scorm-again does the same);
  SCORM 2004 values past their SPM are stored whole.
- ``strict``: SCORM 1.2 answers exactly as the standard's limits say (4,097 characters of
  ``suspend_data`` is 405). SCORM 2004 still answers ``"true"``/0 for a value past its SPM
  (the standard makes the SPM a minimum the LMS must keep, not an error -- ADL Sample RTE
  ``SCORM_2004_DMElement``), but stores a text value cut to its SPM.

Every relaxation and every SPM overflow is recorded as a :class:`Relaxation` and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from scorm_player.datamodel.errors import Version

log = logging.getLogger("scorm_player.datamodel")

SpmOverflow = Literal["store", "truncate"]


@dataclass(frozen=True)
class Policy:
    """A named set of length relaxations.

    :ivar max_length_12: SCORM 1.2 element pattern -> the limit used instead of its type's.
    :ivar over_spm_2004: what to store when a 2004 text value is past its SPM.
    """

    name: str
    max_length_12: Mapping[str, int] = field(default_factory=dict)
    over_spm_2004: SpmOverflow = "store"

    def max_length(self, version: Version, pattern: str) -> int | None:
        """The hard length limit this policy puts on ``pattern``, if it changes one."""
        return self.max_length_12.get(pattern) if version == "1.2" else None


LENIENT = Policy("lenient", {"cmi.suspend_data": 64000}, "store")
STRICT = Policy("strict", {}, "truncate")
POLICIES: dict[str, Policy] = {LENIENT.name: LENIENT, STRICT.name: STRICT}

PolicyLike = Policy | Literal["lenient", "strict"] | str | None


def get_policy(policy: PolicyLike) -> Policy:
    """A :class:`Policy` from a policy or its name (``None``: lenient)."""
    if policy is None:
        return LENIENT
    if isinstance(policy, Policy):
        return policy
    try:
        return POLICIES[policy]
    except KeyError:
        raise ValueError(f"unknown policy {policy!r}; use one of {sorted(POLICIES)}") from None


@dataclass(frozen=True)
class Relaxation:
    """A value the standard's limit would not have stored as it was.

    :ivar limit: the standard's limit (``None``: an item or item-count SPM inside a
        response pattern).
    :ivar action: ``"accepted"`` (1.2, over the type limit but within the policy's),
        ``"stored whole"`` or ``"truncated"`` (2004, over the SPM).
    """

    element: str
    length: int
    limit: int | None
    action: str
    policy: str

    def log(self) -> None:
        """Write this relaxation to the ``scorm_player.datamodel`` logger."""
        log.info(
            "%s: %d characters, over the limit of %s, %s (policy %s)",
            self.element, self.length, self.limit, self.action, self.policy,
        )
