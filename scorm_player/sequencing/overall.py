"""The Overall Sequencing Process (SN book 4.3 and Appendix C, OP.1).

One pass per navigation event: navigation request (NB.2.1), termination request (TB.2.3),
sequencing request (SB.2.12), delivery request (DB.1.1) and content delivery (DB.2). A
rejected request is reported with its exception code; the state changes made before the
rejection stay (the SN book does not roll them back either).
"""

from __future__ import annotations

from dataclasses import dataclass

from scorm_player.sequencing.context import Context
from scorm_player.sequencing.delivery import (
    content_delivery_environment_process,
    delivery_request_process,
)
from scorm_player.sequencing.navigation import navigation_request_process
from scorm_player.sequencing.sequencing_request import sequencing_request_process
from scorm_player.sequencing.termination import termination_request_process
from scorm_player.sequencing.utility import end_attempt


@dataclass(frozen=True)
class NavigationOutcome:
    """What one navigation request did.

    ``delivered``: the activity to launch now (``None``: nothing new to launch).
    ``exception``: the SN exception code when the request was refused or failed.
    ``session_ended``: the sequencing session is over (exit the player); ``reason`` then
    holds the code that ended it, e.g. ``SB.2.1-1`` for a Continue past the last activity.
    ``termination``: the termination request that was carried out (exit, exitAll, abandon,
    abandonAll, suspendAll), so the caller knows the previous SCO's attempt ended.
    ``suspended``: the registration was suspended (suspendAll).
    ``resumed``: the delivered activity resumes a suspended attempt (``cmi.entry=resume``).
    """

    delivered: str | None = None
    exception: str | None = None
    session_ended: bool = False
    termination: str | None = None
    suspended: bool = False
    resumed: bool = False
    reason: str | None = None

    @property
    def valid(self) -> bool:
        return self.exception is None


def overall_sequencing_process(
    ctx: Context, request: str, target_id: str | None = None
) -> NavigationOutcome:
    """OP.1 Overall Sequencing Process, for one navigation request."""
    target = ctx.tree.get(target_id)
    nav = navigation_request_process(ctx, request, target)  # step 1.1
    if not nav.valid:  # step 1.2
        return NavigationOutcome(exception=nav.exception)
    sequencing = nav.sequencing
    termination = nav.termination
    if termination is not None:  # step 1.3
        term = termination_request_process(ctx, termination)
        if not term.valid:
            return NavigationOutcome(exception=term.exception, termination=termination)
        if term.sequencing is not None:  # step 1.3.3: replaces the pending request
            sequencing = term.sequencing
    suspended = termination == "suspendAll"
    if sequencing is None:
        return NavigationOutcome(termination=termination, suspended=suspended)
    seq = sequencing_request_process(ctx, sequencing, nav.target)  # step 1.4
    if seq.end_session:  # step 1.4.2
        end_sequencing_session(ctx)
        return NavigationOutcome(
            session_ended=True,
            termination=termination,
            suspended=suspended,
            reason=seq.exception,
        )
    if not seq.valid:
        return NavigationOutcome(
            exception=seq.exception, termination=termination, suspended=suspended
        )
    if seq.delivery is None:  # step 1.4.3: nothing to deliver
        return NavigationOutcome(termination=termination, suspended=suspended)
    request_ok = delivery_request_process(ctx, seq.delivery)  # step 1.5
    if not request_ok.valid:
        return NavigationOutcome(exception=request_ok.exception, termination=termination)
    delivered = content_delivery_environment_process(ctx, seq.delivery)  # step 1.6
    if not delivered.valid:
        return NavigationOutcome(exception=delivered.exception, termination=termination)
    return NavigationOutcome(
        delivered=seq.delivery.id, termination=termination, resumed=delivered.resumed
    )


def end_sequencing_session(ctx: Context) -> None:
    """Close the session: end a still-open root attempt, forget the current activity.

    The suspended activity (if any) is kept for a later Resume All. The book leaves what
    happens to the still-active root to the LMS; ending it makes the final rollup happen
    and lets the next session begin with Start.
    """
    root = ctx.tree.root
    if ctx.s(root).is_active:
        end_attempt(ctx, root)
    ctx.current = None
