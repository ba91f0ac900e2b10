"""The pytest API drives SMS conversations against an in-process bot: Twilio's parameters and
signature, replies (<Message>, plain text), cookies across messages, <Redirect>, the caps on
replies and documents, the fallback URL, and opt-out keywords."""

from __future__ import annotations

from typing import Any

import pytest
from twilio.request_validator import RequestValidator

from callbox.interpreter.session import DEFAULT_AUTH_TOKEN
from callbox.messaging.services import MessagingService
from callbox.records import MessageStatus
from callbox.testing import CallSimulator, NoReplyError

VALIDATOR = RequestValidator(DEFAULT_AUTH_TOKEN)


def test_the_bot_answers_and_keeps_count_across_messages_by_cookie(
    callbox: CallSimulator, app: Any
) -> None:
    conv = callbox.message(app, "/sms", body="hi")
    conv.expect_reply("Message 1: you said hi")
    conv.send("again")
    conv.expect_reply("Message 2: you said again")
    conv.expect_no_reply()


def test_the_sms_url_gets_twilios_parameters_signed(
    callbox: CallSimulator, app: Any, seen: list[dict[str, Any]]
) -> None:
    callbox.message(
        app,
        body="hello €",
        media=["https://example.com/a.png"],
        from_="+14155550100",
        to="+442071838750",
    )
    form = seen[0]["form"]
    assert form["MessageSid"] == form["SmsSid"] == form["SmsMessageSid"]
    assert form["MessageSid"].startswith("MM")
    assert form["Body"] == "hello €"
    assert form["From"] == "+14155550100" and form["To"] == "+442071838750"
    assert form["NumMedia"] == "1"
    assert form["MediaUrl0"] == "https://example.com/a.png"
    assert form["MediaContentType0"] == "image/png"
    assert form["NumSegments"] == "1"
    assert form["SmsStatus"] == "received"
    assert form["ApiVersion"] == "2010-04-01"
    assert form["FromCountry"] == "US" and form["ToCountry"] == "GB"
    assert form["FromCity"] == ""
    assert VALIDATOR.validate(seen[0]["url"], form, seen[0]["headers"]["x-twilio-signature"])


def test_a_plain_text_response_is_sent_as_one_message(callbox: CallSimulator, app: Any) -> None:
    callbox.message(app, body="plain").expect_reply("Plain text reply")


def test_every_message_verb_is_a_reply_sent_in_order(callbox: CallSimulator, app: Any) -> None:
    conv = callbox.message(app, body="two", from_="+14155550100", to="+14155550199")
    first = conv.expect_reply("First")
    second = conv.expect_reply("Second")
    assert (first.to, first.from_) == ("+14155550100", "+14155550199")
    assert second.status_callback == "http://testserver/status"


def test_media_of_a_reply_makes_it_an_mms(callbox: CallSimulator, app: Any) -> None:
    reply = callbox.message(app, body="photo").expect_reply("Here it is")
    assert reply.media == ("https://example.com/cat.jpg",)
    assert reply.sid.startswith("MM")


def test_redirect_fetches_the_next_document_with_the_message_parameters(
    callbox: CallSimulator, app: Any, seen: list[dict[str, Any]]
) -> None:
    callbox.message(app, body="redirect").expect_reply("Menu: reply 1 or 2")
    assert [entry["path"] for entry in seen] == ["/sms", "/menu"]
    assert seen[1]["form"]["Body"] == "redirect"


def test_more_than_ten_replies_stop_at_ten_with_14109(callbox: CallSimulator, app: Any) -> None:
    conv = callbox.message(app, body="many")
    assert [reply.body for reply in conv.replies] == [f"Reply {i}" for i in range(10)]
    assert [problem.code for problem in conv.problems] == ["14109"]


def test_a_redirect_loop_ends_after_fifty_documents_with_14106(
    callbox: CallSimulator, app: Any
) -> None:
    conv = callbox.message(app, body="loop")
    assert len(conv.requests) == 50
    assert conv.problems[-1].code == "14106"
    with pytest.raises(NoReplyError, match="14106"):
        conv.expect_reply("anything")


def test_an_app_error_falls_back_to_the_fallback_url(
    callbox: CallSimulator, app: Any, seen: list[dict[str, Any]]
) -> None:
    conv = callbox.conversation(app)
    conv.messenger.route(
        conv.to, "http://testserver/sms", fallback_url="http://testserver/fallback"
    )
    conv.url = None  # the number's route, with its fallback
    conv.send("broken")
    conv.expect_reply("Sorry, something went wrong")
    assert seen[-1]["form"]["ErrorCode"] == "11200"
    assert seen[-1]["form"]["ErrorUrl"] == "http://testserver/sms"


def test_stop_blocks_replies_and_start_unblocks_them(callbox: CallSimulator, app: Any) -> None:
    conv = callbox.message(app, body="STOP")
    conv.expect_reply(contains="You have successfully been unsubscribed")
    assert [problem.code for problem in conv.problems] == ["21610"]
    conv.send("hello?")
    conv.expect_no_reply()
    conv.send("start")
    conv.expect_reply(contains="re-subscribed")
    conv.expect_reply(contains="you said start")


def test_replies_are_delivered_with_their_status_callbacks_in_order(
    callbox: CallSimulator, app: Any, seen: list[dict[str, Any]]
) -> None:
    conv = callbox.message(app, body="two").wait_for_delivery()
    second = conv.replies[1]
    assert second.status is MessageStatus.DELIVERED
    callbacks = [entry["form"] for entry in seen if entry["path"] == "/status"]
    assert [form["MessageStatus"] for form in callbacks] == ["sending", "sent", "delivered"]
    assert {form["MessageSid"] for form in callbacks} == {second.sid}


def test_a_number_in_a_service_with_an_inbound_url_sends_its_messages_there(
    callbox: CallSimulator, app: Any, seen: list[dict[str, Any]]
) -> None:
    conv = callbox.conversation(app, to="+14155550199")
    service = MessagingService(
        "MG" + "7" * 32, ["+14155550199"], inbound_request_url="http://testserver/menu"
    )
    conv.messenger.add_service(service)
    conv.url = None
    conv.send("hi").expect_reply("Menu: reply 1 or 2")
    assert seen[0]["path"] == "/menu"
    assert seen[0]["form"]["MessagingServiceSid"] == service.sid


def test_more_than_fifteen_replies_to_one_phone_in_thirty_seconds_are_cut_with_14107(
    callbox: CallSimulator, app: Any
) -> None:
    conv = callbox.message(app, body="many")  # 10 replies
    conv.send("many")  # 5 more get through, then runaway protection
    assert len(conv.replies) == 15
    assert [p.code for p in conv.problems].count("14107") == 5
