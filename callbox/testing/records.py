"""Sample records with every field set, for tests of stores and of what reads them back.

``RecordMaker`` builds one account's records; its dates are fixed (``EPOCH``) or shifted by whole
seconds, so listings and filters have known answers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from callbox.records import (
    Account,
    AnsweredBy,
    Application,
    Call,
    CallDirection,
    CallEventName,
    CallStatus,
    Capabilities,
    HttpMethod,
    IncomingPhoneNumber,
    Message,
    MessageDirection,
    MessageStatus,
    Notification,
    NotificationLog,
    Recording,
    RecordingSource,
    RecordingStatus,
    SidPrefix,
    new_sid,
)

EPOCH = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class RecordMaker:
    """Records with every field set, one account's; ``at`` shifts their dates by whole seconds."""

    def __init__(self) -> None:
        self.account_sid = new_sid(SidPrefix.ACCOUNT)

    def account(self, *, friendly_name: str = "Main") -> Account:
        return Account(
            sid=self.account_sid,
            owner_account_sid=self.account_sid,
            friendly_name=friendly_name,
            auth_token="0123456789abcdef0123456789abcdef",
            date_created=EPOCH,
            date_updated=EPOCH,
        )

    def call(
        self, *, at: int = 0, to: str = "+15550100001", account_sid: str | None = None
    ) -> Call:
        when = EPOCH + timedelta(seconds=at)
        return Call(
            sid=new_sid(SidPrefix.CALL),
            account_sid=account_sid or self.account_sid,
            to=to,
            from_="+15005550006",
            status=CallStatus.COMPLETED,
            direction=CallDirection.OUTBOUND_API,
            date_created=when,
            date_updated=when + timedelta(seconds=9),
            parent_call_sid=None,
            phone_number_sid=new_sid(SidPrefix.PHONE_NUMBER),
            start_time=when,
            end_time=when + timedelta(seconds=9),
            duration=9,
            price=Decimal("-0.0130"),
            answered_by=AnsweredBy.HUMAN,
            caller_name="Ada",
            queue_time=120,
            url="http://127.0.0.1:5000/voice",
            method=HttpMethod.GET,
            fallback_url="http://127.0.0.1:5000/fallback",
            status_callback="http://127.0.0.1:5000/status",
            status_callback_events=(CallEventName.RINGING, CallEventName.COMPLETED),
            timeout=25,
            send_digits="1w2",
            record=True,
            machine_detection="Enable",
        )

    def message(self) -> Message:
        return Message(
            sid=new_sid(SidPrefix.MMS),
            account_sid=self.account_sid,
            to="+15550100001",
            from_="+15005550006",
            body="héllo ✓",
            status=MessageStatus.DELIVERED,
            direction=MessageDirection.OUTBOUND_API,
            date_created=EPOCH,
            date_updated=EPOCH,
            date_sent=EPOCH,
            num_media=1,
            price=Decimal("0.0075"),
            error_code=30003,
            error_message="Unreachable destination handset",
            media_urls=("http://127.0.0.1:5000/cat.png",),
        )

    def number(self, phone_number: str = "+15550100001") -> IncomingPhoneNumber:
        return IncomingPhoneNumber(
            sid=new_sid(SidPrefix.PHONE_NUMBER),
            account_sid=self.account_sid,
            phone_number=phone_number,
            friendly_name=f"Line {phone_number}",
            date_created=EPOCH,
            date_updated=EPOCH,
            voice_url="http://127.0.0.1:5000/voice",
            voice_method=HttpMethod.GET,
            sms_url="http://127.0.0.1:5000/sms",
            capabilities=Capabilities(voice=True, sms=False, mms=False, fax=True),
            beta=True,
        )

    def application(self) -> Application:
        return Application(
            sid=new_sid(SidPrefix.APPLICATION),
            account_sid=self.account_sid,
            friendly_name="IVR",
            date_created=EPOCH,
            date_updated=EPOCH,
            voice_url="http://127.0.0.1:5000/voice",
            public_application_connect_enabled=True,
        )

    def recording(self, call_sid: str | None = None) -> Recording:
        return Recording(
            sid=new_sid(SidPrefix.RECORDING),
            account_sid=self.account_sid,
            call_sid=call_sid or new_sid(SidPrefix.CALL),
            status=RecordingStatus.COMPLETED,
            source=RecordingSource.RECORD_VERB,
            date_created=EPOCH,
            date_updated=EPOCH,
            start_time=EPOCH,
            duration=4,
            channels=2,
            price=Decimal("-0.0025"),
        )

    def notification(self) -> Notification:
        return Notification(
            sid=new_sid(SidPrefix.NOTIFICATION),
            account_sid=self.account_sid,
            call_sid=new_sid(SidPrefix.CALL),
            error_code="11200",
            log=NotificationLog.ERROR,
            message_text="HTTP retrieval failure",
            message_date=EPOCH,
            date_created=EPOCH,
            date_updated=EPOCH,
            more_info="https://www.twilio.com/docs/errors/11200",
            request_method=HttpMethod.POST,
            request_url="http://127.0.0.1:5000/voice",
            request_variables="CallSid=CA1&To=%2B15550100001",
            response_headers="Content-Type: text/html",
            response_body="<html>500</html>",
        )
