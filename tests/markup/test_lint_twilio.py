"""Documents built at test time with the official ``twilio`` builders, the way applications write
them, lint without a single finding: the rules do not cry wolf on real TwiML.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from callbox.markup.check import check
from callbox.markup.lint import RULE_CODES


def ivr_menu() -> str:
    response = VoiceResponse()
    gather = Gather(
        action="/ivr/choice",
        method="POST",
        num_digits=1,
        timeout=5,
        input="dtmf speech",
        hints="sales, support",
        speech_timeout="auto",
        speech_model="phone_call",
        action_on_empty_result=False,
        barge_in=True,
    )
    gather.say("For sales press 1, for support press 2.", voice="Polly.Joanna", language="en-US")
    gather.pause(length=1)
    gather.play("https://example.com/sounds/menu.mp3", loop=1)
    response.append(gather)
    response.say("We did not get your choice.")
    response.redirect("/ivr/menu", method="POST")
    return str(response)


def voicemail() -> str:
    response = VoiceResponse()
    response.say("Please leave a message after the beep.", voice="woman", loop=1)
    response.record(
        action="/voicemail/saved",
        method="POST",
        timeout=5,
        finish_on_key="#",
        max_length=120,
        play_beep=True,
        trim="trim-silence",
        recording_status_callback="/voicemail/status",
        recording_status_callback_event="in-progress completed",
        transcribe=True,
        transcribe_callback="/voicemail/text",
    )
    response.say("We did not receive a recording.")
    response.hangup()
    return str(response)


def forwarding() -> str:
    response = VoiceResponse()
    dial = Dial(
        action="/calls/after",
        timeout=20,
        caller_id="+14155550100",
        answer_on_bridge=True,
        record="record-from-answer-dual",
        time_limit=3600,
        ring_tone="us",
    )
    dial.number(
        "+14155550101",
        send_digits="ww1234",
        status_callback="/calls/events",
        status_callback_event="initiated ringing answered completed",
        url="/whisper",
    )
    dial.client("alice")
    dial.sip("sip:desk@example.com")
    response.append(dial)
    return str(response)


def conference() -> str:
    response = VoiceResponse()
    dial = Dial()
    dial.conference(
        "standup",
        muted=False,
        beep="onEnter",
        start_conference_on_enter=True,
        end_conference_on_exit=False,
        wait_url="https://example.com/hold.xml",
        max_participants=10,
        trim="trim-silence",
    )
    response.append(dial)
    return str(response)


def queue() -> str:
    response = VoiceResponse()
    response.enqueue("support", action="/queue/left", wait_url="/queue/wait")
    return str(response)


def sms_reply() -> str:
    response = MessagingResponse()
    message = response.message(action="/sms/status", method="POST")
    message.body("Thanks for texting us! We reply within one business day.")
    message.media("https://example.com/images/logo.png")
    response.message("New text from a customer.", to="+14155550100", from_="+14155550199")
    response.redirect("/sms/next")
    return str(response)


DOCUMENTS: dict[str, Callable[[], str]] = {
    f.__name__: f for f in (ivr_menu, voicemail, forwarding, conference, queue, sms_reply)
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_twilio_built_document_lints_without_findings(name: str) -> None:
    document = DOCUMENTS[name]().encode()
    result = check(document, f"{name}.xml", base_url="https://example.com/flows/" + name)
    assert [d.format() for d in result.diagnostics] == [], document.decode()


def test_the_same_documents_as_inline_twiml_flag_their_relative_urls() -> None:
    result = check(ivr_menu().encode(), "inline", base_url=None)
    assert {d.code for d in result.diagnostics} == {"15004"}
    assert all(d.code in RULE_CODES for d in result.diagnostics)
