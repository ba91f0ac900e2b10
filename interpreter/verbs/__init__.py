"""The verb runners: one coroutine per TwiML voice verb, looked up by the verb's model class.

The session calls ``RUNNERS[type(verb)](verb, call)`` for each verb of a document and follows the
``Outcome`` it returns (``Continue``, ``Navigate``, ``EndCall``). Verbs callbox does not simulate
have a runner too: it reports them (13750) and goes on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Outcome
from callbox.interpreter.verbs.dial import run_dial
from callbox.interpreter.verbs.echo import run_echo
from callbox.interpreter.verbs.enqueue import run_enqueue, run_leave
from callbox.interpreter.verbs.gather import run_gather
from callbox.interpreter.verbs.hangup import run_hangup, run_reject
from callbox.interpreter.verbs.pause import run_pause
from callbox.interpreter.verbs.play import run_play
from callbox.interpreter.verbs.record import run_record
from callbox.interpreter.verbs.redirect import run_redirect
from callbox.interpreter.verbs.say import run_say
from callbox.interpreter.verbs.sms import run_sms
from callbox.interpreter.verbs.unsupported import LATER, run_unsupported
from callbox.markup import model

Runner = Callable[[Any, CallContext], Awaitable[Outcome]]

RUNNERS: dict[type, Runner] = {
    model.Say: run_say,
    model.Play: run_play,
    model.Pause: run_pause,
    model.Gather: run_gather,
    model.Record: run_record,
    model.Dial: run_dial,
    model.Hangup: run_hangup,
    model.Reject: run_reject,
    model.Redirect: run_redirect,
    model.Echo: run_echo,
    model.Sms: run_sms,
    model.Enqueue: run_enqueue,
    model.Leave: run_leave,
    **dict.fromkeys(LATER, run_unsupported),
}

__all__ = ["RUNNERS", "Runner"]
