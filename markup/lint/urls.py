"""Rules about URLs in a document: relative URLs with nothing to resolve them against (15004),
schemes Twilio cannot fetch (11100), ``<Play>`` of a file that is not audio (CF109) and a
``<Redirect>`` back to the same document with nothing in between to wait for the caller (CF110).
"""

from __future__ import annotations

import re
from functools import lru_cache
from posixpath import splitext
from urllib.parse import urldefrag, urljoin, urlsplit

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.lint.context import NO_BASE_URL, Element, LintContext, name_of, rule, text_of

URL_TEXT_ELEMENTS = ("Redirect", "Play", "Media")
"""Elements whose text is a URL Twilio fetches."""

URL_ATTRIBUTES_BY_TAG: dict[str, tuple[str, ...]] = {
    "Gather": ("action", "partialResultCallback"),
    "Record": ("action", "recordingStatusCallback", "transcribeCallback"),
    "Dial": ("action", "recordingStatusCallback", "referUrl"),
    "Number": ("url", "statusCallback", "amdStatusCallback"),
    "Client": ("url", "statusCallback"),
    "Sip": ("url", "statusCallback", "amdStatusCallback"),
    "Application": ("url", "statusCallback"),
    "WhatsApp": ("url", "statusCallback"),
    "Conference": ("waitUrl", "statusCallback", "recordingStatusCallback", "eventCallbackUrl"),
    "Queue": ("url",),
    "Enqueue": ("action", "waitUrl"),
    "Message": ("action", "statusCallback"),
    "Sms": ("action", "statusCallback"),
    "Connect": ("action",),
    "Start": ("action",),
    "Pay": ("action", "statusCallback"),
    "Refer": ("action",),
    "Stream": ("statusCallback",),
    "Siprec": ("statusCallback",),
    "Transcription": ("statusCallbackUrl",),
    "Recording": ("recordingStatusCallback",),
    "VirtualAgent": ("statusCallback",),
    "Conversation": ("url", "statusCallback", "recordingStatusCallback"),
    "Response": (),
    "Redirect": (),
}
"""Where each element keeps webhook URLs; other tags are scanned by attribute name."""

NO_URL_ATTRIBUTES = frozenset(
    {
        "ConversationRelay", "Say", "Play", "Pause", "Hangup", "Reject", "Leave",
        "Echo", "Body", "Media", "Parameter", "Identity", "Config", "Language", "break",
        "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w",
    }
)  # fmt: skip
"""Tags whose attributes are never webhook URLs (``<ConversationRelay url>`` is a wss:// address)."""

FETCHABLE_SCHEMES = frozenset({"http", "https"})

NON_AUDIO_EXTENSIONS = frozenset(
    {
        ".xml", ".html", ".htm", ".php", ".json", ".txt", ".pdf", ".jpg", ".jpeg", ".png",
        ".gif", ".svg", ".js", ".css", ".mp4", ".mov", ".avi", ".webm", ".zip",
    }
)  # fmt: skip
"""Extensions that name something other than audio (``.php`` pages serve TwiML, not sound)."""

WAITING_VERBS = frozenset({"Gather", "Record", "Dial", "Enqueue", "Connect", "Pay", "Refer"})
"""Verbs that wait for the caller or leave the document; a loop through them is a menu."""

TEMPLATE_MARKERS = ("{{", "{%")


URL_ATTRIBUTES = frozenset({"action", "url"})
URL_SUFFIXES = ("Url", "Callback")


def is_url_attribute(name: str) -> bool:
    """``action``, ``url``, ``waitUrl``, ``statusCallback``... but not ``statusCallbackMethod``."""
    return name in URL_ATTRIBUTES or name.endswith(URL_SUFFIXES)


_URL_ATTRIBUTE_NAMES: dict[str, tuple[str, ...]] = {
    **URL_ATTRIBUTES_BY_TAG,
    **dict.fromkeys(NO_URL_ATTRIBUTES, ()),
}
"""Both tables in one: the URL attributes of a tag (none for ``NO_URL_ATTRIBUTES``)."""


def document_urls(
    context: LintContext, skip: tuple[str, ...] = ()
) -> list[tuple[Element, str | None, str]]:
    """Every URL the document names: (element, attribute or None for text, value), less those
    starting with one of ``skip`` (a rule that has nothing to say about them asks)."""
    found: list[tuple[Element, str | None, str]] = []
    names_of = _URL_ATTRIBUTE_NAMES.get
    for tag, elements in context.tagged():
        names = names_of(tag)
        if names == ():
            continue
        for element in elements:
            get = element.get
            for name in names if names is not None else _url_attribute_names(element):
                value = get(name)
                if value and not value.startswith(skip):
                    value = value.strip()
                    if value and not value.startswith(skip):
                        found.append((element, name, value))
    for tag in URL_TEXT_ELEMENTS:
        for element in context.elements(tag):
            if tag == "Play" and element.get("digits"):
                continue
            value = text_of(element)
            if value and not value.startswith(skip):
                found.append((element, None, value))
    return found


def _url_attribute_names(element: Element) -> list[str]:
    return [str(name) for name in element.attrib if is_url_attribute(str(name))]


def _templated(value: str) -> bool:
    return any(marker in value for marker in TEMPLATE_MARKERS)


def _where(element: Element, attribute: str | None) -> str:
    return f"<{name_of(element)} {attribute}>" if attribute else f"<{name_of(element)}>"


@rule(codes.RELATIVE_URL_INLINE, tags=(NO_BASE_URL,))
def relative_url_without_base(context: LintContext) -> list[Diagnostic]:
    if context.base_url is not None:
        return []
    found: list[Diagnostic] = []
    for element, attribute, value in document_urls(context):
        if SCHEME.match(value) or _templated(value):
            continue
        found.append(
            context.report(
                codes.RELATIVE_URL_INLINE,
                element,
                f"{_where(element, attribute)} URL '{value}' is relative, and this document has "
                "no URL to resolve it against",
                attribute=attribute,
                text=attribute is None,
                hint="Inline TwiML (the REST Twiml parameter) needs absolute URLs: "
                "https://example.com" + (value if value.startswith("/") else "/" + value),
            )
        )
    return found


SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
COMMON_PREFIXES = ("https://", "http://", "/")


@rule(codes.INVALID_URL)
def unfetchable_url(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for element, attribute, value in document_urls(context, COMMON_PREFIXES):
        match = SCHEME.match(value)
        scheme = match.group(1).lower() if match else ""
        if not scheme or scheme in FETCHABLE_SCHEMES or _templated(value):
            continue
        found.append(
            context.report(
                codes.INVALID_URL,
                element,
                f"{_where(element, attribute)} URL '{value}' uses {scheme}:, "
                "but Twilio fetches only http and https",
                attribute=attribute,
                text=attribute is None,
            )
        )
    return found


@lru_cache(maxsize=1024)
def url_extension(url: str) -> str:
    """The extension of the URL's path, lowercased (``.mp3``; '' when none or not a URL)."""
    try:
        path = urlsplit(url).path
    except ValueError:  # http://[::1 cannot be split: 11100 is the schema's finding
        return ""
    return splitext(path)[1].lower()


def _same_document(base: str, target: str) -> bool:
    """Whether ``target``, resolved against ``base``, is ``base`` itself, fragments aside
    (False when either is not a URL that can be parsed). Parsed only for a ``<Redirect>`` that
    could loop: each file linted has its own base URL, which no cache would hold."""
    try:
        return urldefrag(urljoin(base, target)).url == urldefrag(base).url
    except ValueError:
        return False


@rule(codes.PLAY_NON_AUDIO_URL, tags=("Play",))
def play_non_audio_url(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for play in context.elements("Play"):
        value = text_of(play)
        if not value or play.get("digits"):
            continue
        extension = url_extension(value)
        if extension in NON_AUDIO_EXTENSIONS:
            found.append(
                context.report(
                    codes.PLAY_NON_AUDIO_URL,
                    play,
                    f"<Play> URL ends in '{extension}', which is not audio: Twilio fails the "
                    "call with 13420",
                    text=True,
                    hint="Play an audio file (.mp3, .wav); to continue with another document, "
                    "use <Redirect>.",
                )
            )
    return found


@rule(codes.REDIRECT_TO_SELF, tags=("Redirect",))
def redirect_to_self(context: LintContext) -> list[Diagnostic]:
    base = context.base_url
    if base is None:
        return []
    found: list[Diagnostic] = []
    for verb in context.verbs:
        tag = name_of(verb)
        if tag in WAITING_VERBS:
            return found
        if tag != "Redirect":
            continue
        target = text_of(verb)
        if target and not _templated(target) and _same_document(base, target):
            found.append(
                context.report(
                    codes.REDIRECT_TO_SELF,
                    verb,
                    f"<Redirect> to '{target}' requests this same document, and no verb before it "
                    "waits for the caller: the call loops until Twilio gives up",
                    text=True,
                    hint="Put a <Gather> before the <Redirect> (a menu that repeats), "
                    "or redirect to the next step.",
                )
            )
            return found
    return found
