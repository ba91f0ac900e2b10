"""IncomingPhoneNumbers with the official client: create by number or area code, one holder per
number, update where calls go, filter, delete."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException

from callbox.records import IncomingPhoneNumber
from callbox.store import MemoryStore, Query
from callbox.web.app import Platform
from tests.api.conftest import SAMPLES


def test_the_first_start_provisions_numbers_that_answer_calls_and_texts_with_a_sample(
    client: Any, platform: Platform
) -> None:
    numbers = client.incoming_phone_numbers.list()
    assert sorted(n.phone_number for n in numbers) == [
        "+15550100001",
        "+15550100002",
        "+15550100003",
    ]
    assert all(n.voice_url == "http://testserver/flows/ivr-menu" for n in numbers)
    assert all(n.sms_url == "http://testserver/flows/sms-auto-reply" for n in numbers)


def test_a_later_start_on_another_port_moves_the_numbers_nobody_changed_with_it() -> None:
    store = MemoryStore()
    first = Platform.start(store, SAMPLES, "http://127.0.0.1:5000", realtime=False)
    edited = first.provisioned.numbers[0]
    store.update(
        dataclasses.replace(
            edited,
            voice_url="http://127.0.0.1:5000/flows/voicemail",
            date_updated=edited.date_updated + timedelta(seconds=1),
        )
    )
    later = Platform.start(store, SAMPLES, "http://127.0.0.1:8080", realtime=False)
    stored = {n.phone_number: n for n in store.list(Query(IncomingPhoneNumber)).records}
    assert [n.voice_url for n in later.provisioned.numbers[1:]] == [
        "http://127.0.0.1:8080/flows/ivr-menu"
    ] * 2
    assert stored["+15550100002"].sms_url == "http://127.0.0.1:8080/flows/sms-auto-reply"
    # the number someone pointed elsewhere keeps what they chose
    assert stored[edited.phone_number].voice_url == "http://127.0.0.1:5000/flows/voicemail"
    assert stored[edited.phone_number].sms_url == "http://127.0.0.1:5000/flows/sms-auto-reply"


def test_numbers_are_created_updated_listed_and_deleted(client: Any) -> None:
    number = client.incoming_phone_numbers.create(
        phone_number="+15557770001", voice_url="http://testserver/flows/voicemail"
    )
    assert number.sid.startswith("PN") and number.friendly_name == "(555) 777-0001"
    assert (number.voice_method, number.capabilities["voice"]) == ("POST", True)
    updated = client.incoming_phone_numbers(number.sid).update(
        friendly_name="Support",
        voice_url="http://testserver/flows/ivr-menu",
        voice_method="GET",
        sms_url="http://testserver/flows/sms-auto-reply",
        status_callback="http://testserver/status",
    )
    assert (updated.friendly_name, updated.voice_method) == ("Support", "GET")
    fetched = client.incoming_phone_numbers(number.sid).fetch()
    assert fetched.sms_url == "http://testserver/flows/sms-auto-reply"
    assert fetched.status_callback == "http://testserver/status"
    assert [n.sid for n in client.incoming_phone_numbers.list(phone_number="777")] == [number.sid]
    assert [n.sid for n in client.incoming_phone_numbers.list(friendly_name="Support")] == [
        number.sid
    ]
    assert client.incoming_phone_numbers(number.sid).delete() is True
    with pytest.raises(TwilioRestException) as raised:
        client.incoming_phone_numbers(number.sid).fetch()
    assert raised.value.code == 20404


def test_an_area_code_gets_the_first_free_number_in_it(client: Any) -> None:
    first = client.incoming_phone_numbers.create(area_code="415")
    second = client.incoming_phone_numbers.create(area_code="415")
    local = client.incoming_phone_numbers.local.create(phone_number="+14155550199")
    assert (first.phone_number, second.phone_number) == ("+14155550100", "+14155550101")
    assert local.sid in [n.sid for n in client.incoming_phone_numbers.local.list()]


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"phone_number": "+15550100001"}, 21422),
        ({"phone_number": "5550100009"}, 21421),
        ({"area_code": "12"}, 21452),
        ({"phone_number": "+15557770002", "voice_url": "not a url"}, 21205),
        ({"phone_number": "+15557770003", "voice_method": "PUT"}, 20001),
    ],
)
def test_bad_creations_get_twilios_codes(client: Any, options: dict[str, str], code: int) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.incoming_phone_numbers.create(**options)
    assert (raised.value.status, raised.value.code) == (400, code)
