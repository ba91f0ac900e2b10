"""The walk over a whole document: the tag-to-builder tables, ``build`` (the typed document) and
``diagnose`` (its diagnostics alone).
"""

from __future__ import annotations

from lxml import etree

from callbox.diagnostics import Diagnostic
from callbox.markup import model as m
from callbox.markup.build.common import (
    BuildContext,
    Builder,
    build_config,
    build_parameter,
    fast_constructor,
    node_position,
    unknown,
)
from callbox.markup.build.connect import (
    build_ai_session,
    build_autopilot,
    build_connect,
    build_conversation,
    build_conversation_relay,
    build_conversation_relay_session,
    build_language,
    build_recording,
    build_refer,
    build_room,
    build_siprec,
    build_start,
    build_stop,
    build_stream,
    build_transcription,
    build_virtual_agent,
)
from callbox.markup.build.dial import (
    DIAL_NOUNS,
    build_application_sid,
    build_dial,
    build_header,
    build_headers,
    build_identity,
    build_uri,
)
from callbox.markup.build.messaging import build_body, build_media, build_message
from callbox.markup.build.pay import build_pay, build_prompt
from callbox.markup.build.ssml import SSML_CLASSES, build_ssml
from callbox.markup.build.voice import (
    build_echo,
    build_enqueue,
    build_gather,
    build_hangup,
    build_leave,
    build_pause,
    build_play,
    build_record,
    build_redirect,
    build_reject,
    build_say,
    build_sms,
    build_task,
)
from callbox.markup.dialect import Dialect, detect_dialect
from callbox.markup.source import Source

_new_response = fast_constructor(m.Response)


VERB_BUILDERS: dict[str, Builder] = {
    "Connect": build_connect,
    "Dial": build_dial,
    "Echo": build_echo,
    "Enqueue": build_enqueue,
    "Gather": build_gather,
    "Hangup": build_hangup,
    "Leave": build_leave,
    "Pause": build_pause,
    "Pay": build_pay,
    "Play": build_play,
    "Record": build_record,
    "Redirect": build_redirect,
    "Refer": build_refer,
    "Reject": build_reject,
    "Say": build_say,
    "Sms": build_sms,
    "Start": build_start,
    "Stop": build_stop,
    "Message": build_message,
}
"""Builders of the children of ``<Response>`` (both dialects)."""

BUILDERS: dict[str, Builder] = {
    **VERB_BUILDERS,
    **DIAL_NOUNS,
    "Identity": build_identity,
    "Uri": build_uri,
    "Headers": build_headers,
    "Header": build_header,
    "ApplicationSid": build_application_sid,
    "Task": build_task,
    "Stream": build_stream,
    "Siprec": build_siprec,
    "Transcription": build_transcription,
    "Recording": build_recording,
    "Room": build_room,
    "Autopilot": build_autopilot,
    "ConversationRelay": build_conversation_relay,
    "Language": build_language,
    "VirtualAgent": build_virtual_agent,
    "Conversation": build_conversation,
    "AiSession": build_ai_session,
    "ConversationRelaySession": build_conversation_relay_session,
    "Prompt": build_prompt,
    "Parameter": build_parameter,
    "Config": build_config,
    "Body": build_body,
    "Media": build_media,
    **dict.fromkeys(SSML_CLASSES, build_ssml),
}
"""Every tag's builder (lxml's tag: Clark notation for ``amazon:``). Children are dispatched by
their parent's own table (``<Sip>`` in ``<Refer>`` is ``build_refer_sip``)."""


def _build_verbs(root: etree._Element, context: BuildContext) -> list[m.Verb]:
    verbs: list[m.Verb] = []
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        verb_builder = VERB_BUILDERS.get(tag)
        if verb_builder is not None:
            verbs.append(verb_builder(child, context))
        elif context.model:
            verbs.append(unknown(child))
    return verbs


def build(
    root: etree._Element, source: Source, dialect: Dialect
) -> tuple[m.Response, list[Diagnostic]]:
    """The typed document of ``root`` and a diagnostic for every value that did not coerce.

    ``dialect`` AUTO is resolved from the verbs (``detect_dialect``). Never raises for a bad
    document; unknown verbs become ``Unknown`` nodes.
    """
    context = BuildContext(source)
    verbs = _build_verbs(root, context)
    if dialect is Dialect.AUTO:
        dialect = detect_dialect(root)
    response = _new_response(verbs=tuple(verbs), dialect=dialect, position=node_position(root))
    return response, context.diagnostics


def diagnose(root: etree._Element, source: Source) -> list[Diagnostic]:
    """The diagnostics ``build`` reports for ``root``, in the same order, without the model
    (for ``callbox lint``, which needs no typed document)."""
    context = BuildContext(source, model=False)
    _build_verbs(root, context)
    return context.diagnostics
