"""Fuzzing the call session: random TwiML documents built from the voice vocabulary (valid and
not), linked to each other by their action and redirect URLs, and a random scripted caller.

Every call must end with a final status and without an internal failure (12400), in call-time
order, within the loop caps and the time limit, whatever the documents and the caller do.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import anyio
from hypothesis import given
from hypothesis import strategies as st

from callbox import codes
from callbox.interpreter.caller import CallerAction, HangUp, Press, Silence, Speak
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.far_ends import ScriptedFarEnd
from callbox.interpreter.media.plane import EstimatedMediaPlane
from callbox.interpreter.script import TimedRule, WhenRule
from callbox.interpreter.session import CallResult, CallSession, CallSettings
from callbox.interpreter.webhook import FetchResult, WebhookRequest
from callbox.markup.dialect import Dialect
from callbox.markup.schema import compiled

APP = "https://app.example.com"
PAGES = ("d0", "d1", "d2", "d3")

URLS = st.sampled_from(
    [
        "d1",
        "/d2",
        "d3?x=1",
        f"{APP}/d0",
        "",
        " ",
        "missing",
        "/audio.wav",
        "/audio.mp3",
        "http://[::1",
        "javascript:alert(1)",
        "ftp://example.com/x",
        "//other.example.com/d1",
        "%zz",
        "d1#frag",
        "x" * 3000,
    ]
)
NUMBERS = st.sampled_from(
    [
        "+15005550006",
        "+15005550001",
        "+15005550002",
        "+15551230001",
        "+15551230002",
        "415-555-1234",
        "",
        "not a number",
    ]
)
SECONDS = st.sampled_from(
    ["0", "1", "2", "5", "30", "-1", "1.5", "abc", "", "99999", "1e9", "nan", "inf", "3600",
     "9" * 400, "9" * 5000]
)  # fmt: skip
DIGITS = st.sampled_from(["1", "12", "*", "#", "0#", "", "x", "1w2", "99999"])
WORDS = st.sampled_from(
    ["Hello", "Press 1 for sales", "main menu", "Goodbye", "", "  ", "a " * 500, "ünïcødé ☎"]
)


def _attr(name: str, value: str) -> str:
    return f" {name}={quoteattr(value)}"


@st.composite
def attributes(draw: st.DrawFn, choices: dict[str, st.SearchStrategy[str]]) -> str:
    names = draw(st.lists(st.sampled_from(sorted(choices)), max_size=4, unique=True))
    return "".join(_attr(name, draw(choices[name])) for name in names)


BOOLEAN = st.sampled_from(["true", "false", "yes", ""])
METHOD = st.sampled_from(["GET", "POST", "PUT", "get", ""])

SAY = st.builds(
    lambda a, t: f"<Say{a}>{escape(t)}</Say>",
    attributes(
        {
            "voice": st.sampled_from(
                ["alice", "man", "Polly.Joanna", "Google.en-US-Standard-A", "x"]
            ),
            "language": st.sampled_from(["en-US", "fr-FR", "xx", ""]),
            "loop": SECONDS,
        }
    ),
    WORDS,
)
SSML_SAY = st.sampled_from(
    [
        '<Say voice="Polly.Joanna">Hi <break time="1s"/><prosody rate="fast">there</prosody></Say>',
        '<Say voice="Polly.Joanna"><say-as interpret-as="telephone">+15551234</say-as></Say>',
        '<Say voice="Polly.Joanna"><break time="-5s"/><break time="999999s"/></Say>',
        '<Say voice="Polly.Joanna"><amazon:effect name="whispered">psst</amazon:effect></Say>',
        '<Say voice="alice"><emphasis>x</emphasis></Say>',
    ]
)
PLAY = st.builds(
    lambda a, u: f"<Play{a}>{escape(u)}</Play>",
    attributes({"loop": SECONDS, "digits": DIGITS}),
    URLS,
)
PAUSE = st.builds(lambda a: f"<Pause{a}/>", attributes({"length": SECONDS}))
HANGUP = st.just("<Hangup/>")
REJECT = st.builds(
    lambda a: f"<Reject{a}/>", attributes({"reason": st.sampled_from(["busy", "rejected", "x"])})
)
REDIRECT = st.builds(
    lambda a, u: f"<Redirect{a}>{escape(u)}</Redirect>", attributes({"method": METHOD}), URLS
)
RECORD = st.builds(
    lambda a: f"<Record{a}/>",
    attributes(
        {
            "action": URLS,
            "method": METHOD,
            "timeout": SECONDS,
            "maxLength": SECONDS,
            "finishOnKey": DIGITS,
            "playBeep": BOOLEAN,
            "trim": st.sampled_from(["trim-silence", "do-not-trim", "x"]),
            "transcribe": BOOLEAN,
            "recordingStatusCallback": URLS,
        }
    ),
)
DIAL_NOUN = st.sampled_from(
    [
        "<Number>+15551230001</Number>",
        '<Number url="d2">+15551230002</Number>',
        '<Number url="missing" sendDigits="1w2">+15005550006</Number>',
        "<Client>alice</Client>",
        "<Sip>sip:bob@example.com</Sip>",
        "<Queue>support</Queue>",
        "<Conference>room</Conference>",
        "<Number></Number>",
    ]
)
DIAL = st.builds(
    lambda a, body: f"<Dial{a}>{body}</Dial>",
    attributes(
        {
            "action": URLS,
            "method": METHOD,
            "timeout": SECONDS,
            "timeLimit": SECONDS,
            "hangupOnStar": BOOLEAN,
            "callerId": NUMBERS,
            "record": st.sampled_from(["record-from-answer", "do-not-record", "x"]),
        }
    ),
    st.one_of(NUMBERS.map(escape), st.lists(DIAL_NOUN, max_size=3).map("".join)),
)
LEAF = st.one_of(SAY, SSML_SAY, PLAY, PAUSE, HANGUP, REJECT, REDIRECT, RECORD, DIAL)
GATHER = st.builds(
    lambda a, body: f"<Gather{a}>{body}</Gather>",
    attributes(
        {
            "action": URLS,
            "method": METHOD,
            "timeout": SECONDS,
            "numDigits": SECONDS,
            "finishOnKey": DIGITS,
            "input": st.sampled_from(["dtmf", "speech", "dtmf speech", "x", ""]),
            "speechTimeout": st.sampled_from(["auto", "0", "3", "x"]),
            "actionOnEmptyResult": BOOLEAN,
            "bargeIn": BOOLEAN,
            "hints": WORDS,
        }
    ),
    # <Gather> may nest <Say>, <Play>, <Pause>; other verbs inside are schema problems (12200)
    st.lists(st.one_of(SAY, PLAY, PAUSE, LEAF), max_size=3).map("".join),
)
OTHER = st.sampled_from(
    [
        "<Message>hi</Message>",
        "<Enqueue>q</Enqueue>",
        "<Leave/>",
        "<Connect><Stream url='wss://x'/></Connect>",
        "<Unknown/>",
        "<say>lower</say>",
        "text between verbs",
        "<!-- a comment -->",
        "<?pi x?>",
    ]
)
VOICE = compiled(Dialect.VOICE).vocabulary
AMAZON = "{http://www.amazon.com/xml/ns/amazon}"
NUMBERS_OF_TYPE = st.sampled_from(
    [
        "0",
        "1",
        "3",
        "600",
        "14400",
        "99999999999",
        "-1",
        "1.5",
        "x",
        "9" * 400,
        "9" * 5000,
        "\u00b2",
    ]
)
VALUES_OF_TYPE: dict[str, st.SearchStrategy[str]] = {
    "url": URLS,
    "twimlBoolean": BOOLEAN,
    "httpMethod": METHOD,
    "wholeNumber": NUMBERS_OF_TYPE,
    "positiveWholeNumber": NUMBERS_OF_TYPE,
}
ANY_VALUE = st.one_of(
    NUMBERS_OF_TYPE,
    WORDS,
    st.sampled_from(
        [
            "ordinal",
            "date",
            "telephone",
            "digits",
            "ymd",
            "1s",
            "x-slow",
            "50%",
            "whispered",
            "dtmf speech",
            "auto",
            "record-from-answer",
            "busy",
            "en-US",
            "Polly.Joanna",
            "#",
            "*",
        ]
    ),
)
TEXTS = st.one_of(WORDS, NUMBERS, URLS, st.sampled_from(["9" * 30, "9" * 5000, "2024-03-05"]))


def _name(tag: str) -> str:
    return tag.replace(AMAZON, "amazon:")


@st.composite
def schema_elements(draw: st.DrawFn, tag: str, depth: int = 0) -> str:
    """An element of the voice vocabulary with its own attributes, random values of their
    types, and children it may have (sometimes others)."""
    declared = VOICE.attributes.get(tag, {})
    names = draw(st.lists(st.sampled_from(sorted(declared) or [""]), max_size=4, unique=True))
    attrs = "".join(
        _attr(_name(name), draw(VALUES_OF_TYPE.get(declared[name], ANY_VALUE)))
        for name in names
        if name and "}" not in name
    )
    children = sorted(VOICE.children.get(tag, ()))
    inner = escape(draw(TEXTS)) if draw(st.booleans()) else ""
    if children and depth < 3:
        kids = draw(st.lists(st.sampled_from(children), max_size=3))
        inner += "".join(draw(schema_elements(kid, depth + 1)) for kid in kids)
    return f"<{_name(tag)}{attrs}>{inner}</{_name(tag)}>"


SCHEMA_VERB = st.sampled_from(sorted(VOICE.children["Response"])).flatmap(schema_elements)
VERB = st.one_of(LEAF, GATHER, OTHER, SCHEMA_VERB)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    verbs = "".join(draw(st.lists(VERB, max_size=6)))
    if kind == 0:  # not a usable document at all
        return draw(
            st.sampled_from(
                [b"", b"<Response>", b"<response/>", b"<Response><Say>x</Response>", b"\x00\xff"]
            )
        )
    return f"<Response>{verbs}</Response>".encode()


AUDIO_TYPES = st.sampled_from(["audio/wav", "audio/mpeg", "audio/x-wav", "text/plain", ""])


@dataclass
class RandomApp:
    """A Fetcher over random pages; unknown paths are 404s (11200)."""

    pages: dict[str, tuple[str, bytes]]
    media: tuple[str, bytes]

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        path = request.url.removeprefix(APP + "/").split("?")[0].split("#")[0]
        page = self.pages.get(path)
        if page is None:
            return FetchResult(request.url, request.method, 404, error_code="11200", message="404")
        return FetchResult(request.url, request.method, 200, page[0], page[1])

    async def fetch_media(self, url: str) -> FetchResult:
        return FetchResult(url, "GET", 200, self.media[0], self.media[1])

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        return FetchResult(request.url, request.method, 200)


CONTENT_TYPES = st.sampled_from(["text/xml"] * 6 + ["application/xml", "text/plain", "audio/wav"])


@st.composite
def apps(draw: st.DrawFn) -> RandomApp:
    pages = {name: (draw(CONTENT_TYPES), draw(documents())) for name in PAGES}
    media = (draw(AUDIO_TYPES), draw(st.sampled_from([b"", b"RIFF\x00\x00", b"\xff" * 64])))
    return RandomApp(pages, media)


AFTER = st.sampled_from([0.0, 0.5, 1.0, 3.0, -2.0, 40.0])
ACTIONS: st.SearchStrategy[CallerAction] = st.one_of(
    st.builds(Press, DIGITS.filter(bool).map(lambda d: d.replace("x", "1")), AFTER),
    st.builds(Speak, WORDS.filter(str.strip), AFTER, st.sampled_from([0.0, 0.5, 1.0])),
    st.just(Silence()),
    st.builds(HangUp, AFTER.map(abs)),
)


@st.composite
def callers(draw: st.DrawFn) -> ScriptedCaller:
    return ScriptedCaller(
        draw(st.lists(ACTIONS, max_size=8)),
        when=draw(st.lists(st.builds(WhenRule, WORDS.filter(str.strip), ACTIONS), max_size=2)),
        timed=draw(
            st.lists(
                st.builds(TimedRule, st.sampled_from([0.0, 5.0, 30.0, 120.0]), ACTIONS),
                max_size=2,
            )
        ),
        hangup_after=draw(st.sampled_from([None, None, 0.0, 1.0, 10.0, 60.0, 600.0])),
    )


FAR_ENDS = st.dictionaries(
    NUMBERS.filter(bool),
    st.builds(
        ScriptedFarEnd,
        st.sampled_from(["answer", "busy", "no-answer", "failed"]),
        st.sampled_from([0.0, 2.0, 50.0]),
        st.sampled_from([None, 0.0, 10.0]),
    ),
    max_size=3,
)

MAX_DOCUMENTS = 12
TIME_LIMIT = 900.0


async def _run(session: CallSession) -> CallResult:
    with anyio.fail_after(20):  # real seconds: a call that never ends fails here
        return await session.run()


@given(
    app=apps(),
    caller=callers(),
    far_ends=FAR_ENDS,
    fallback=st.sampled_from([None, f"{APP}/d3", f"{APP}/missing"]),
    direction=st.sampled_from(["inbound", "outbound-api"]),
    inline=st.booleans(),
)
def test_random_call_ends_with_a_final_status(
    app: RandomApp,
    caller: ScriptedCaller,
    far_ends: dict[str, ScriptedFarEnd],
    fallback: str | None,
    direction: str,
    inline: bool,
) -> None:
    settings = CallSettings(
        url=None if inline else f"{APP}/d0",
        twiml=app.pages["d0"][1] if inline else None,
        fallback_url=fallback,
        direction=direction,
        status_callback=f"{APP}/status",
        status_callback_events=frozenset({"initiated", "ringing", "answered", "completed"}),
        max_documents=MAX_DOCUMENTS,
        max_redirects_without_input=5,
        time_limit=TIME_LIMIT,
    )
    session = CallSession(
        settings, fetcher=app, caller=caller, media=EstimatedMediaPlane(), far_ends=far_ends
    )
    result = anyio.run(_run, session)

    assert result.status.is_final
    errors = result.timeline.of_kind("error")
    internal = [e for e in errors if e.data.get("code") == codes.INTERNAL_FAILURE.id]
    assert not internal, result.timeline.format()
    assert result.error_code != codes.INTERNAL_FAILURE.id, result.timeline.format()
    times = [event.at for event in result.timeline.events]
    assert times == sorted(times), result.timeline.format()
    documents = [r for r in result.requests if r.kind == "document"]
    assert len(documents) <= MAX_DOCUMENTS, result.timeline.format()
    assert len(result.requests) <= 4 * MAX_DOCUMENTS + 8, result.timeline.format()
    assert 0 <= result.duration <= TIME_LIMIT + 1, result.timeline.format()
    for event in result.timeline.events:
        assert event.at >= 0 and event.at == event.at
        event.format()
    result.as_dict()
