"""What the learner did reaches the server, whatever the network, the tab or the server do.

The SCO's API answers locally and at once; the page then owes the server every change, in
order (docs/runtime-protocol.md section 3). Each test breaks something on the way: the
network goes offline, the tab closes before a Commit, a newer tab takes the attempt over,
the run-time token outlives its TTL, the commit endpoint fails or is unreachable, the server
refuses a value, a page goes away holding unsent batches. Then it checks the SCO never saw
an error, the learner saw the right status, and the server's log of applied changes
(``LiveServer.applied``) holds every value in the order the SCO set it.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterator

import pytest
from playwright.sync_api import APIResponse, BrowserContext, Page, Route, expect

from tests.e2e.conftest import Launch, LiveServer, eventually, start_server
from tests.e2e.pages import REJECTED, RETRYING, SAVED, SUPERSEDED, Answer, PlayerPage

pytestmark = pytest.mark.browser

TOKEN_TTL = 3  # seconds, for the token tests: the page renews at half of it
RETRIED = 15_000  # ms: enough for the backoff (1 s, then 2 s) to send again on a busy machine


def _locations(server: LiveServer, player: PlayerPage) -> list[str]:
    applied = server.applied(player.runtime()["attempt"]["id"])
    return [value for name, value in applied if name == "cmi.location"]


def _set_and_commit(*locations: str) -> list[list[str]]:
    return [c for value in locations for c in (["SetValue", "cmi.location", value], ["Commit", ""])]


def _started(launch: Launch, course: str, learner: str) -> PlayerPage:
    """A 2004 probe SCO, initialised, whose first value the server has."""
    player = launch(course, learner, item="sco-two")
    player.sco.run([["Initialize", ""], *_set_and_commit("p0")])
    player.expect_saved()
    return player


# region (a) offline


def test_values_set_offline_all_reach_the_server_in_order(
    server: LiveServer, context: BrowserContext, launch: Launch, probe2004: str, learner: str
) -> None:
    player = _started(launch, probe2004, learner)

    context.set_offline(True)
    first = player.sco.run(_set_and_commit("p1", "p2"))
    expect(player.save_status).to_have_text(RETRYING)
    more = player.sco.run(_set_and_commit("p3", "p4", "p5"))
    assert player.unsent()
    context.set_offline(False)

    expect(player.save_status).to_have_text(SAVED, timeout=RETRIED)
    assert first + more == [Answer("true", 0)] * 10
    assert _locations(server, player) == ["p0", "p1", "p2", "p3", "p4", "p5"]
    assert not player.unsent()


# endregion
# region (b) the tab closes before a Commit


@pytest.mark.parametrize("leave", ["close the tab", "close the browser", "go to another page"])
def test_a_value_set_without_commit_is_saved_when_the_tab_goes(
    server: LiveServer, context: BrowserContext, launch: Launch, probe2004: str, learner: str,
    leave: str,
) -> None:
    player = _started(launch, probe2004, learner)
    player.sco.run([
        ["SetValue", "cmi.location", "left-here"], ["SetValue", "cmi.suspend_data", "s=1"],
    ])

    if leave == "close the tab":
        player.page.close(run_before_unload=True)
    elif leave == "close the browser":
        context.close()
    else:
        player.page.goto("about:blank")

    def arrived() -> tuple[str, str | None]:
        sco = server.sco(probe2004, learner, "sco-two")
        return sco["location"], sco["suspend_data"]

    eventually(lambda: arrived() == ("left-here", "s=1"))


def test_a_large_change_set_without_commit_still_arrives_when_the_tab_closes(
    server: LiveServer, launch: Launch, probe2004: str, learner: str
) -> None:
    """64,000 characters that do not compress: more than one beacon may carry."""
    noise = "".join(random.Random(7).choices(string.ascii_letters + string.digits, k=64000))
    player = _started(launch, probe2004, learner)
    player.sco.run([["SetValue", "cmi.suspend_data", noise], ["SetValue", "cmi.location", "end"]])

    player.page.close(run_before_unload=True)

    eventually(lambda: server.sco(probe2004, learner, "sco-two")["location"] == "end")
    assert server.sco(probe2004, learner, "sco-two")["suspend_data"] == noise


# endregion
# region (c) two tabs on one registration


def _two_tabs(
    server: LiveServer, context: BrowserContext, course: str, learner: str
) -> tuple[PlayerPage, PlayerPage, Answer]:
    """The same link opened in a tab, which saves "older-1", then in a second tab; that
    one's SCO initialised, and what it found as the bookmark."""
    link = server.link(course, learner, item="sco-two")
    older = PlayerPage.open(context.new_page(), link)
    older.sco.run([["Initialize", ""], *_set_and_commit("older-1")])
    older.expect_saved()
    newer = PlayerPage.open(context.new_page(), link)
    found = newer.sco.run([["Initialize", ""], ["GetValue", "cmi.location"]])[1]
    return older, newer, found


def test_a_newer_tab_takes_over_and_the_older_one_stops_saving(
    server: LiveServer, context: BrowserContext, probe2004: str, learner: str
) -> None:
    older, newer, found = _two_tabs(server, context, probe2004, learner)
    newer.sco.run(_set_and_commit("newer-1"))
    newer.expect_saved()

    older.sco.run(_set_and_commit("older-late"))

    expect(older.message).to_have_text(SUPERSEDED)
    refused = older.sco.run(_set_and_commit("older-later"))

    newer.sco.run(_set_and_commit("newer-2"))
    newer.expect_saved()
    assert found == Answer("older-1", 0)
    assert refused == [Answer("true", 0), Answer("false", 391)]  # the SCO learns it too
    assert _locations(server, newer) == ["older-1", "newer-1", "newer-2"]
    assert server.sco(probe2004, learner, "sco-two")["location"] == "newer-2"


def test_a_batch_refused_to_the_older_tab_is_never_stored(
    server: LiveServer, context: BrowserContext, probe2004: str, learner: str
) -> None:
    older, newer, _ = _two_tabs(server, context, probe2004, learner)
    older.sco.run(_set_and_commit("older-late"))
    expect(older.message).to_have_text(SUPERSEDED)

    newer.page.reload()

    location = newer.sco.run([["Initialize", ""], ["GetValue", "cmi.location"]])[1]
    newer.sco.run(_set_and_commit("newer-2"))
    newer.expect_saved()  # anything restored from storage would have gone first
    assert location == Answer("older-1", 0)
    assert "older-late" not in _locations(server, newer)


# endregion
# region (d) the run-time token


@pytest.fixture(scope="module", name="short_lived")
def short_lived_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server whose run-time tokens live TOKEN_TTL seconds."""
    live = start_server(tmp_path_factory.mktemp("ttl"), SCORM_PLAYER_RUNTIME_TOKEN_TTL=TOKEN_TTL)
    yield live
    live.stop()


def _renewals(page: Page, count: int) -> None:
    """Wait for ``count`` successful renewals."""
    for _ in range(count):
        with page.expect_response(lambda r: r.url.endswith("/runtime/renew") and r.ok):
            pass


def _post_commit(
    server: LiveServer, player: PlayerPage, changes: list[list[str]], *, seq: int, token: str
) -> APIResponse:
    """A batch for the player's attempt, posted from its page but not by its queue."""
    body = {"token": token, "attempt": player.runtime()["attempt"]["id"], "seq": seq,
            "changes": changes}
    return player.page.request.post(f"{server.url}/runtime/commit", data=json.dumps(body))


def test_a_session_longer_than_its_token_lives_still_saves(
    short_lived: LiveServer, page: Page, learner: str
) -> None:
    course = short_lived.course("probe-scorm2004")
    player = PlayerPage.open(page, short_lived.link(course, learner, item="sco-two"))
    first_token = player.runtime()["token"]
    player.sco.run([["Initialize", ""], *_set_and_commit("p0")])
    player.expect_saved()

    _renewals(page, 3)  # 4.5 s: past the first token's TTL
    answers = player.sco.run(_set_and_commit("p1"))

    player.expect_saved()
    assert answers == [Answer("true", 0)] * 2
    assert _locations(short_lived, player) == ["p0", "p1"]
    assert _post_commit(short_lived, player, [], seq=3, token=first_token).status == 401


def test_a_page_that_missed_its_renewal_saves_again(
    short_lived: LiveServer, page: Page, learner: str
) -> None:
    course = short_lived.course("probe-scorm2004")
    player = PlayerPage.open(page, short_lived.link(course, learner, item="sco-two"))
    player.sco.run([["Initialize", ""], *_set_and_commit("p0")])
    player.expect_saved()
    page.route("**/runtime/renew", lambda route: route.abort())  # asleep: no timer runs
    page.wait_for_timeout((TOKEN_TTL + 1) * 1000)
    page.unroute("**/runtime/renew")

    player.sco.run(_set_and_commit("p1"))

    expect(player.save_status).to_have_text(SAVED, timeout=3000)  # renew, then resend at once
    assert _locations(short_lived, player) == ["p0", "p1"]


# endregion
# region (e) the server fails, then recovers


@pytest.mark.parametrize("failure", ["HTTP 500", "unreachable"])
def test_batches_sent_while_the_server_fails_arrive_once_it_recovers(
    server: LiveServer, launch: Launch, probe2004: str, learner: str, failure: str
) -> None:
    player = _started(launch, probe2004, learner)
    failing = {"left": 2}  # a retry after 1 s fails too; the next, 2 s later, goes through

    def flaky(route: Route) -> None:
        if failing["left"] == 0:
            route.continue_()
            return
        failing["left"] -= 1
        if failure == "HTTP 500":
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error</h1>")
        else:
            route.abort("connectionrefused")

    player.page.route("**/runtime/commit", flaky)
    answers = player.sco.run(_set_and_commit("p1"))
    expect(player.save_status).to_have_text(RETRYING)
    answers += player.sco.run(_set_and_commit("p2", "p3"))

    expect(player.save_status).to_have_text(SAVED, timeout=RETRIED)
    assert failing["left"] == 0 and answers == [Answer("true", 0)] * 6
    assert _locations(server, player) == ["p0", "p1", "p2", "p3"]


# endregion
# region (f) the server refuses a value


def test_a_batch_the_server_refuses_is_reported_and_none_of_it_is_stored(
    server: LiveServer, launch: Launch, probe2004: str, learner: str
) -> None:
    player = _started(launch, probe2004, learner)

    def forge(route: Route) -> None:  # a value the adapter would never have accepted
        body = json.loads(route.request.post_data or "{}")
        body["changes"] = [[n, "7" if n == "cmi.score.scaled" else v] for n, v in body["changes"]]
        route.continue_(post_data=json.dumps(body))

    player.page.route("**/runtime/commit", forge)
    player.sco.run([
        ["SetValue", "cmi.location", "in-the-bad-batch"], ["SetValue", "cmi.score.scaled", "0.5"],
        ["Commit", ""],
    ])

    expect(player.message).to_contain_text(REJECTED)
    expect(player.message).to_contain_text("cmi.score.scaled")
    player.page.unroute("**/runtime/commit")
    player.sco.run(_set_and_commit("after"))
    player.expect_saved()
    sco = server.sco(probe2004, learner, "sco-two")
    assert (sco["location"], sco["score"]["scaled"]) == ("after", None)
    assert _locations(server, player) == ["p0", "after"]


def test_a_forged_commit_is_refused_whole(
    server: LiveServer, launch: Launch, probe2004: str, learner: str
) -> None:
    player = _started(launch, probe2004, learner)  # the server acknowledged batch 1

    answer = _post_commit(
        server, player, [["cmi.location", "forged"], ["cmi.score.scaled", "7"]],
        seq=2, token=player.runtime()["token"],
    )

    assert answer.status == 422
    assert {k: answer.json()[k] for k in ("error", "element", "code")} == {
        "error": "invalid", "element": "cmi.score.scaled", "code": "407"}
    assert _locations(server, player) == ["p0"]


# endregion
# region (g) batches a page left unsent


def test_batches_left_in_storage_are_sent_by_the_next_load(
    server: LiveServer, context: BrowserContext, page: Page, launch: Launch, probe2004: str,
    learner: str,
) -> None:
    player = _started(launch, probe2004, learner)
    context.set_offline(True)
    player.sco.run([
        ["SetValue", "cmi.location", "p1"], ["SetValue", "cmi.suspend_data", "offline"],
        ["Commit", ""],
    ])
    expect(player.save_status).to_have_text(RETRYING)
    page.evaluate("navigator.sendBeacon = () => false")  # the browser refuses the last beacon
    page.goto("about:blank")
    context.set_offline(False)
    assert server.sco(probe2004, learner, "sco-two")["location"] == "p0"

    again = launch(probe2004, learner, item="sco-two")
    answers = again.sco.run([
        ["Initialize", ""], ["GetValue", "cmi.location"], ["GetValue", "cmi.suspend_data"],
    ])

    again.expect_saved()
    assert answers[1:] == [Answer("p1", 0), Answer("offline", 0)]
    sco = server.sco(probe2004, learner, "sco-two")
    assert (sco["location"], sco["suspend_data"]) == ("p1", "offline")
    assert not again.unsent()


# endregion
