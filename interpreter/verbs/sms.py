"""``<Sms>`` in a voice call (deprecated by Twilio): the message is recorded as sent.

Nothing leaves the machine: the timeline gets warning CF111 (the verb is deprecated; ``callbox
lint`` reports it too) and a ``message`` event (to the caller and from the
called number unless ``to``/``from`` say otherwise), ``statusCallback`` reports it ``sent``, and
with ``action`` the call goes on with the action's document (``SmsSid``, ``SmsStatus=sending``).
"""

from __future__ import annotations

from callbox import codes
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Continue, Outcome
from callbox.interpreter.verbs.actions import navigate
from callbox.markup.model import Sms

DEPRECATION = (
    "<Sms> in a voice call is deprecated by Twilio: send texts with the Messages API instead"
)


async def run_sms(sms: Sms, call: CallContext) -> Outcome:
    call.warn(codes.SMS_VERB_DEPRECATED, DEPRECATION, sms.position)
    now = call.clock.now()
    to = sms.to or call.from_
    from_ = sms.from_ or call.to
    sid = call.next_sid("SM")
    call.timeline.add(now, "message", f"SMS to {to} from {from_}: {sms.text}", sid=sid, to=to)
    if sms.status_callback:
        url = call.resolve_url(sms.status_callback)
        if url is not None:
            call.send_callback(
                url,
                "POST",
                {
                    "AccountSid": call.account_sid,
                    "SmsSid": sid,
                    "MessageSid": sid,
                    "SmsStatus": "sent",
                    "MessageStatus": "sent",
                    "From": from_,
                    "To": to,
                    "Body": sms.text,
                    "ApiVersion": "2010-04-01",
                },
            )
    if sms.action:
        params = {"SmsSid": sid, "SmsStatus": "sending"}
        return navigate(call, sms.action, str(sms.method), params, input_given=False)
    return Continue()
