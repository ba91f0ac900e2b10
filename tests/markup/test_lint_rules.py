"""Lint rules at their edges: what they must flag, and the near misses they must leave alone."""

from __future__ import annotations

import pytest

from callbox.markup.check import check
from callbox.markup.dialect import Dialect
from callbox.markup.lint.numbers import not_e164

BASE = "https://example.com/flows/menu"


def found(body: str, *, base_url: str | None = BASE, dialect: Dialect = Dialect.AUTO) -> list[str]:
    document = f"<Response>{body}</Response>".encode()
    result = check(document, "flow.xml", base_url=base_url, dialect=dialect)
    return [f"{d.code} {d.message}" for d in result.diagnostics]


def codes(body: str, *, base_url: str | None = BASE, dialect: Dialect = Dialect.AUTO) -> list[str]:
    return [line.split()[0] for line in found(body, base_url=base_url, dialect=dialect)]


@pytest.mark.parametrize(
    ("ending", "why"),
    [
        ("<Hangup/>", "<Hangup> ends the call"),
        ("<Reject/>", "<Reject> ends the call"),
        ("<Redirect>/next</Redirect>", "<Redirect> always moves to another document"),
        (
            '<Gather action="/g" actionOnEmptyResult="true"><Say>Hi</Say></Gather>',
            "always requests its action",
        ),
        ('<Dial action="/after">+14155550100</Dial>', "<Dial> has an action"),
        ('<Enqueue action="/left">support</Enqueue>', "<Enqueue> has an action"),
    ],
)
def test_verbs_after_an_ending_verb_are_reported_once_naming_it(ending: str, why: str) -> None:
    messages = found(f"<Say>Hi</Say>{ending}<Say>One</Say><Say>Two</Say>")
    unreachable = [m for m in messages if m.startswith("CF101")]
    assert len(unreachable) == 1
    assert "<Say> can never run (and 1 more verb after it)" in unreachable[0]
    assert why in unreachable[0]


@pytest.mark.parametrize(
    "waiting",
    [
        '<Gather action="/g"><Say>Press 1</Say></Gather>',
        '<Record action="/saved"/>',
        "<Dial>+14155550100</Dial>",
        "<Enqueue>support</Enqueue>",
    ],
)
def test_verbs_after_a_verb_that_can_fall_through_are_reachable(waiting: str) -> None:
    assert "CF101" not in codes(f"{waiting}<Say>Fallback</Say>")


def test_reject_first_is_fine_and_later_is_reported() -> None:
    assert codes("<Reject/>") == []
    assert "CF105" in codes("<Pause/><Reject/>")


def test_prompt_after_a_gather_that_has_its_own_prompt_is_fine() -> None:
    assert "CF106" not in codes('<Gather action="/g"><Say>Menu</Say></Gather><Say>Bye</Say>')
    assert "CF106" in codes('<Gather action="/g"/><Play>https://example.com/menu.mp3</Play>')


def test_finish_on_key_is_only_ineffective_with_a_single_digit() -> None:
    assert "CF107" not in codes('<Gather action="/g" numDigits="4" finishOnKey="#"/>')
    assert "CF107" not in codes('<Gather action="/g" numDigits="1"/>')
    assert "CF107" in codes('<Gather action="/g" numDigits="1" finishOnKey="*"/>')


@pytest.mark.parametrize(
    "value",
    ["client:alice", "sip:bob@example.com", "+14155550100", "{{ To }}", "whatsapp:+14155550100"],
)
def test_addresses_that_are_not_bare_phone_numbers_are_left_alone(value: str) -> None:
    assert not not_e164(value, short_codes=False)
    assert "CF112" not in codes(f'<Message to="{value}">Hi</Message>')


@pytest.mark.parametrize("value", ["4155550100", "+1 415 555 0100", "whatsapp:415-555-0100"])
def test_phone_numbers_outside_e164_are_reported_by_the_style_rule(value: str) -> None:
    assert codes(f'<Message to="{value}">Hi</Message>') == ["CF112"]


@pytest.mark.parametrize("value", ["415-555-1212", "(415) 555-1212", "4155551212", "415.555.1212"])
def test_unformatted_us_numbers_are_valid_in_dial_and_number(value: str) -> None:
    dial = f'<Dial action="/a">{value}</Dial>'
    number = f'<Dial action="/a"><Number>\n  {value}\n</Number></Dial>'
    assert codes(dial) == ["CF112"]
    assert codes(number) == ["CF112"]


def test_text_that_is_no_phone_number_is_13223_at_the_text_on_its_own_line() -> None:
    [invalid] = check(
        b'<Response>\n<Dial action="/a"><Number>\n    sales desk\n</Number></Dial>\n</Response>',
        base_url=BASE,
    ).diagnostics
    assert (invalid.code, invalid.line, invalid.column) == ("13223", 3, 5)


def test_sender_ids_and_short_codes_are_fine_in_messaging() -> None:
    assert codes('<Message from="ACME">Hi</Message><Message from="12345">Hi</Message>') == []


def test_a_redirect_to_the_same_document_loops_only_when_nothing_waits_before_it() -> None:
    assert "CF110" in codes("<Say>Hold on</Say><Redirect>menu</Redirect>")
    assert "CF110" in codes(f"<Redirect>{BASE}#again</Redirect>")
    menu = '<Gather action="/choice"><Say>Press 1</Say></Gather><Redirect>menu</Redirect>'
    assert "CF110" not in codes(menu)
    assert "CF110" not in codes("<Redirect>next</Redirect>")
    assert "CF110" not in codes("<Redirect>menu</Redirect>", base_url=None)


@pytest.mark.parametrize("timeout", ["\u00b2", "\u0663", "9" * 5000])
def test_a_dial_timeout_that_is_no_number_is_an_attribute_error_not_a_crash(timeout: str) -> None:
    found = codes(f'<Dial timeout="{timeout}">+15551234567</Dial>')
    assert "13212" in found
    assert "CF108" not in found


@pytest.mark.parametrize(
    ("body", "base_url"),
    [
        ("<Play>http://[::1</Play>", BASE),
        ("<Play>http://[::1/a.mp3</Play>", None),
        ("<Redirect>//[::1</Redirect>", BASE),
        ("<Redirect>menu</Redirect>", "http://[::1"),
        ("<Redirect>menu</Redirect>", "http://[::1#top"),
    ],
)
def test_url_rules_pass_over_urls_that_cannot_be_parsed(body: str, base_url: str | None) -> None:
    assert "CF109" not in codes(body, base_url=base_url)
    assert "CF110" not in codes(body, base_url=base_url)


def test_play_of_digits_or_audio_is_fine_and_of_a_page_is_reported() -> None:
    assert codes('<Play digits="1234"/><Play>https://example.com/a.mp3</Play>') == []
    assert "CF109" in codes("<Play>https://example.com/next.php?step=2</Play>")


def test_websocket_urls_and_templates_are_not_fetch_urls() -> None:
    stream = '<Connect><Stream url="wss://example.com/audio"/></Connect>'
    assert "11100" not in codes(stream)
    assert "11100" not in codes("<Redirect>{{ next_url }}</Redirect>")
    assert "11100" in codes('<Gather action="javascript:alert(1)"><Say>x</Say></Gather>')


def test_redirect_and_sms_are_allowed_in_both_dialects() -> None:
    assert "CF003" not in codes("<Message>Hi</Message><Redirect>/next</Redirect>")
    assert "CF003" not in codes('<Sms to="+14155550100">Hi</Sms>')


def test_message_next_to_a_voice_verb_is_the_misplaced_one_in_a_voice_reply() -> None:
    [mismatch] = [m for m in found("<Say>Hello</Say><Message>Thanks!</Message>") if "CF003" in m]
    assert (
        mismatch
        == "CF003 <Message> is a messaging verb, but this is a voice document (it has <Say>)"
    )


def test_an_unknown_element_in_an_sms_reply_is_unknown_not_a_voice_verb() -> None:
    messages = found("<Message>Hi</Message><Foo/>")
    assert messages == ["12200 Unknown element <Foo> inside <Response>"]


def test_dial_nouns_beyond_ten_ring_only_when_sequential_is_off() -> None:
    ten = "".join(f"<Number>+1415555010{i}</Number>" for i in range(10))
    assert "CF201" not in codes(f"<Dial>{ten}</Dial>")
    assert "CF201" in codes(f"<Dial>{ten}<Client>alice</Client></Dial>")
    assert "CF201" not in codes(f'<Dial sequential="true">{ten}<Client>alice</Client></Dial>')


def test_message_body_counts_text_and_every_body_up_to_the_limit() -> None:
    assert "21617" not in codes(f"<Message><Body>{'x' * 1600}</Body></Message>")
    assert "21617" in codes(f"<Message>{'x' * 800}<Body>{'y' * 801}</Body></Message>")


def test_ten_replies_and_ten_media_are_fine_eleven_are_not() -> None:
    media = "".join(f"<Media>https://example.com/{i}.jpg</Media>" for i in range(10))
    assert codes(f"<Message>{media}</Message>") == []
    assert "21623" in codes(f"<Message>{media}<Media>https://example.com/x.jpg</Media></Message>")
    replies = "<Message>Hi</Message>" * 10
    assert codes(replies) == []
    assert "14109" in codes(replies + "<Message>One more</Message>")


def test_sms_is_reported_as_deprecated_with_the_replacement_that_fits_the_document() -> None:
    def hints(body: str, dialect: Dialect = Dialect.AUTO) -> list[str]:
        document = f"<Response>{body}</Response>".encode()
        result = check(document, "flow.xml", base_url=BASE, dialect=dialect)
        return [f"{d.code} {d.hint}" for d in result.diagnostics]

    (voice,) = hints('<Say>Texting you</Say><Sms to="+14155550100">Hi</Sms>')
    (reply,) = hints("<Sms>Thanks</Sms>", Dialect.MESSAGING)
    (either,) = hints("<Sms>Thanks</Sms>")
    assert voice.startswith("CF111 Send the text from your application with the Messages API")
    assert reply.startswith("CF111 Reply with <Message>")
    assert "<Message>" in either and "Messages API" in either
