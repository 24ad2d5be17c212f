"""Signed tokens: launch links, run-time sessions, and access to course files.

All four are itsdangerous ``URLSafeTimedSerializer`` payloads signed with the app's secret
key, each kind with its own salt so one can never pass for another:

- ``launch`` (docs/runtime-protocol.md section 1): course, learner id and name, and an explicit
  expiry chosen by whoever made the link (default 7 days).
- ``runtime``: registration, attempt, launch generation and mode; lives ``runtime_ttl``
  seconds and is renewed by the page.
- ``content``: a course version opened by a launch; it authorises ``/learn/<scope>/...``
  on the content origin for a day, so SCO pages, scripts and media load without a sign-in.
- ``preview``: a course version a signed-in designer previews; it authorises
  ``/preview/<token>/...`` on the content origin, where the session cookie never goes, for
  two hours.

The two file tokens are signed with their timestamp rounded down (to the hour, to ten
minutes), so the links made within that window are the same URLs and the browser's cache
serves a course's files again instead of fetching them under a new token; they live between
``TTL - bucket`` and ``TTL``.

The clock is injectable so tests can move time without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from scorm_player.services.errors import TokenExpired, TokenRefused

LAUNCH_TTL = 7 * 24 * 3600
CONTENT_TTL = 24 * 3600
CONTENT_BUCKET = 3600
PREVIEW_TTL = 2 * 3600
# How long after its expiry a runtime token may still be exchanged for a fresh one. A page
# whose renewal came late (a laptop asleep, a throttled background tab) must not lose what
# the learner does next; the generation check still refuses a superseded page.
RUNTIME_RENEW_GRACE = 24 * 3600
PREVIEW_BUCKET = 600

Clock = Callable[[], float]


@dataclass(frozen=True)
class LaunchClaims:
    course_id: str
    learner_id: str
    learner_name: str
    expires_at: int


@dataclass(frozen=True)
class RuntimeClaims:
    registration_id: int
    attempt_id: int
    generation: int
    mode: str


@dataclass(frozen=True)
class ContentScope:
    course_id: str
    version_number: int
    registration_id: int


@dataclass(frozen=True)
class PreviewScope:
    course_id: str
    version_number: int


class Tokens:
    """Make and read the four kinds of token.

    :param secret: the secret key, or a function that returns it (read on first use, so
        commands that never sign anything never create the key file).
    """

    def __init__(
        self, secret: str | Callable[[], str], *, runtime_ttl: int = 1800, clock: Clock = time.time
    ) -> None:
        self._secret = secret
        self.runtime_ttl = runtime_ttl
        self.clock = clock

    # --- launch -------------------------------------------------------------------------

    def launch(
        self, course_id: str, learner_id: str, learner_name: str, *, expires_in: int = LAUNCH_TTL
    ) -> str:
        expires_at = int(self.clock()) + expires_in
        return self._serializer("launch").dumps(
            {"c": course_id, "l": learner_id, "n": learner_name, "e": expires_at}
        )

    def read_launch(self, token: str) -> LaunchClaims:
        data = self._load("launch", token, max_age=None)
        try:
            claims = LaunchClaims(str(data["c"]), str(data["l"]), str(data["n"]), int(data["e"]))
        except (KeyError, TypeError, ValueError):
            raise TokenRefused("This launch link is not valid.") from None
        if claims.expires_at < self.clock():
            raise TokenExpired("This launch link has expired. Ask for a new one.")
        return claims

    # --- runtime ------------------------------------------------------------------------

    def runtime(self, claims: RuntimeClaims) -> str:
        return self._serializer("runtime").dumps(
            {"r": claims.registration_id, "a": claims.attempt_id, "g": claims.generation,
             "m": claims.mode}
        )

    def read_runtime(self, token: str, *, renewing: bool = False) -> RuntimeClaims:
        """The claims of a runtime token; ``renewing`` accepts one expired within the grace."""
        max_age = self.runtime_ttl + RUNTIME_RENEW_GRACE if renewing else self.runtime_ttl
        data = self._load("runtime", token, max_age=max_age)
        try:
            return RuntimeClaims(int(data["r"]), int(data["a"]), int(data["g"]), str(data["m"]))
        except (KeyError, TypeError, ValueError):
            raise TokenRefused("This session token is not valid.") from None

    # --- content ------------------------------------------------------------------------

    def content(self, scope: ContentScope) -> str:
        return self._serializer("content", bucket=CONTENT_BUCKET).dumps(
            [scope.course_id, scope.version_number, scope.registration_id]
        )

    def read_content(self, token: str) -> ContentScope:
        data = self._load("content", token, max_age=CONTENT_TTL)
        try:
            course_id, number, registration_id = data
            return ContentScope(str(course_id), int(number), int(registration_id))
        except (TypeError, ValueError):
            raise TokenRefused("This content address is not valid.") from None

    # --- preview ------------------------------------------------------------------------

    def preview(self, scope: PreviewScope) -> str:
        return self._serializer("preview", bucket=PREVIEW_BUCKET).dumps(
            [scope.course_id, scope.version_number]
        )

    def read_preview(self, token: str) -> PreviewScope:
        data = self._load("preview", token, max_age=PREVIEW_TTL)
        try:
            course_id, number = data
            return PreviewScope(str(course_id), int(number))
        except (TypeError, ValueError):
            raise TokenRefused("This preview address is not valid.") from None

    # --- helpers ------------------------------------------------------------------------

    def _serializer(self, salt: str, *, bucket: int = 1) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self._key, salt=salt, signer=self._signer(bucket))

    @cached_property
    def _key(self) -> str:
        return self._secret() if callable(self._secret) else self._secret

    def _signer(self, bucket: int) -> type[TimestampSigner]:
        """A signer on our clock, its timestamps rounded down to ``bucket`` seconds."""
        tokens = self

        class ClockSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                now = int(tokens.clock())
                return now - now % bucket

        return ClockSigner

    def _load(self, salt: str, token: str, *, max_age: int | None) -> Any:
        try:
            return self._serializer(salt).loads(token, max_age=max_age)
        except SignatureExpired:
            raise TokenExpired("This token has expired.") from None
        except BadData:
            raise TokenRefused("This token is not valid.") from None
