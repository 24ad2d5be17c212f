"""Launch, run-time and content tokens: signed, salted apart, and they expire."""

from __future__ import annotations

import pytest

from scorm_player.services import TokenExpired, TokenRefused
from scorm_player.services.tokens import (
    CONTENT_BUCKET,
    CONTENT_TTL,
    PREVIEW_BUCKET,
    PREVIEW_TTL,
    ContentScope,
    PreviewScope,
    RuntimeClaims,
    Tokens,
)

NOW = 1_800_000_000.0
CLAIMS = RuntimeClaims(registration_id=3, attempt_id=17, generation=2, mode="normal")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tokens(clock: Clock) -> Tokens:
    return Tokens("secret", runtime_ttl=1800, clock=clock)


def test_a_launch_token_carries_course_and_learner(tokens: Tokens) -> None:
    claims = tokens.read_launch(tokens.launch("golf", "u1", "Doe, Jane", expires_in=60))

    assert (claims.course_id, claims.learner_id, claims.learner_name) == ("golf", "u1", "Doe, Jane")
    assert claims.expires_at == NOW + 60


def test_a_launch_token_expires_when_its_link_says(tokens: Tokens, clock: Clock) -> None:
    token = tokens.launch("golf", "u1", "Doe, Jane", expires_in=60)
    clock.now += 61

    with pytest.raises(TokenExpired):
        tokens.read_launch(token)


def test_a_tampered_launch_token_is_refused(tokens: Tokens) -> None:
    token = tokens.launch("golf", "u1", "Doe, Jane")
    rest = token.split(".", 1)[1]
    forged = tokens.launch("other", "u1", "Doe, Jane").split(".", 1)[0] + "." + rest

    with pytest.raises(TokenRefused):
        tokens.read_launch(forged)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "e30.AAAA.BBBB"])
def test_garbage_is_refused(tokens: Tokens, token: str) -> None:
    with pytest.raises(TokenRefused):
        tokens.read_launch(token)
    with pytest.raises(TokenRefused):
        tokens.read_runtime(token)


def test_another_secret_is_refused(tokens: Tokens, clock: Clock) -> None:
    token = Tokens("another secret", clock=clock).launch("golf", "u1", "Doe, Jane")

    with pytest.raises(TokenRefused):
        tokens.read_launch(token)


def test_a_runtime_token_round_trips(tokens: Tokens) -> None:
    assert tokens.read_runtime(tokens.runtime(CLAIMS)) == CLAIMS


def test_a_runtime_token_expires_after_its_ttl(tokens: Tokens, clock: Clock) -> None:
    token = tokens.runtime(CLAIMS)
    clock.now += 1800
    assert tokens.read_runtime(token) == CLAIMS
    clock.now += 2

    with pytest.raises(TokenExpired):
        tokens.read_runtime(token)


def test_kinds_of_token_cannot_stand_in_for_each_other(tokens: Tokens) -> None:
    runtime = tokens.runtime(CLAIMS)
    launch = tokens.launch("golf", "u1", "Doe, Jane")

    with pytest.raises(TokenRefused):
        tokens.read_launch(runtime)
    with pytest.raises(TokenRefused):
        tokens.read_runtime(launch)
    with pytest.raises(TokenRefused):
        tokens.read_content(runtime)


def test_a_content_scope_lasts_a_day(tokens: Tokens, clock: Clock) -> None:
    scope = ContentScope("golf", 2, 3)
    token = tokens.content(scope)
    assert tokens.read_content(token) == scope
    clock.now += CONTENT_TTL + 1

    with pytest.raises(TokenExpired):
        tokens.read_content(token)


def test_the_secret_is_read_only_when_a_token_is_made() -> None:
    calls: list[int] = []

    def secret() -> str:
        calls.append(1)
        return "secret"

    tokens = Tokens(secret)
    assert calls == []
    tokens.read_runtime(tokens.runtime(CLAIMS))
    assert calls == [1]


def test_a_preview_token_opens_one_version_for_two_hours(tokens: Tokens, clock: Clock) -> None:
    token = tokens.preview(PreviewScope("golf", 2))
    assert tokens.read_preview(token) == PreviewScope("golf", 2)
    clock.now += PREVIEW_TTL + 1

    with pytest.raises(TokenExpired):
        tokens.read_preview(token)


def test_file_tokens_made_in_the_same_window_are_the_same_url(
    tokens: Tokens, clock: Clock
) -> None:
    scope = ContentScope("golf", 2, 3)
    first = tokens.content(scope), tokens.preview(PreviewScope("golf", 2))
    clock.now += PREVIEW_BUCKET - 1
    assert (tokens.content(scope), tokens.preview(PreviewScope("golf", 2))) == first
    clock.now += 1
    assert tokens.preview(PreviewScope("golf", 2)) != first[1]  # a new ten minutes
    assert tokens.content(scope) == first[0]  # the same hour
    clock.now += CONTENT_BUCKET
    assert tokens.content(scope) != first[0]


def test_preview_and_content_tokens_cannot_stand_in_for_each_other(tokens: Tokens) -> None:
    preview = tokens.preview(PreviewScope("golf", 2))
    content = tokens.content(ContentScope("golf", 2, 3))

    with pytest.raises(TokenRefused):
        tokens.read_content(preview)
    with pytest.raises(TokenRefused):
        tokens.read_preview(content)
