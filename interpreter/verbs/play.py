"""``<Play>``: an audio file fetched from its URL and decoded, or DTMF tones with ``digits``.

A file that cannot be fetched is skipped with 11200, as Twilio does; one that is not audio, or
cannot be decoded, is skipped with 13420 (13325 inside ``<Gather>``). ``loop`` repeats it.
"""

from __future__ import annotations

from callbox import codes
from callbox.interpreter.context import CallContext
from callbox.interpreter.media.errors import MediaDecodeError
from callbox.interpreter.outcomes import Continue, Outcome
from callbox.interpreter.verbs.hearing import Piece, hear_pieces, loop_count
from callbox.markup.model import Play

AUDIO_TYPES = ("audio/",)
"""Content types ``<Play>`` accepts (Twilio: mpeg, wav, aiff, gsm, ulaw... all ``audio/*``)."""


def is_audio(content_type: str) -> bool:
    return content_type.strip().lower().startswith(AUDIO_TYPES)


async def render_play(play: Play, call: CallContext, *, in_gather: bool = False) -> list[Piece]:
    """The pieces a ``<Play>`` plays, ``loop`` times; none when the audio is unusable."""
    times = loop_count(play.loop)
    if play.digits:
        try:
            tones = call.media.tones(play.digits)
        except ValueError as exc:
            call.warn(codes.PLAY_DIGITS, f"<Play digits={play.digits!r}>: {exc}", play.position)
            return []
        return [Piece(tones, "tones", play.digits)] * times
    if not play.url:
        call.warn(codes.INVALID_URL, "<Play> has no URL: nothing is played", play.position)
        return []
    url = call.resolve_url(play.url)
    if url is None:
        return []
    result = await call.fetch_media(url)
    if not result.ok:
        call.error(
            codes.HTTP_RETRIEVAL_FAILURE,
            f"<Play> could not fetch {url} ({result.error_code}: {result.message}); skipped",
            play.position,
        )
        return []
    bad_type = codes.GATHER_PLAY_CONTENT_TYPE if in_gather else codes.PLAY_CONTENT_TYPE
    if not is_audio(result.content_type):
        call.error(
            bad_type,
            f"<Play> {url} is {result.content_type or 'of no content type'}, not audio; skipped",
            play.position,
        )
        return []
    try:
        rendered = await call.media.audio(result.body, result.content_type)
    except MediaDecodeError as exc:
        call.error(bad_type, f"<Play> {url} cannot be decoded ({exc}); skipped", play.position)
        return []
    return [Piece(rendered, "play", url)] * times


async def run_play(play: Play, call: CallContext) -> Outcome:
    await hear_pieces(call, await render_play(play, call))
    return Continue()
