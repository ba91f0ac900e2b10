"""TwiML voices and languages mapped onto espeak-ng voices of the right language and gender.

``man``, ``woman`` and ``alice`` take the ``language`` attribute; ``Polly.*`` voices carry their own
language and gender (the table below); ``Google.<lang>-<model>-<letter>`` takes its language from its
name and its gender from Google's published letters where known (female otherwise). The full table
is in ``docs/media.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LANGUAGE = "en-US"
FEMALE_VARIANT = "f3"
MALE_VARIANT = "m3"
CALLER_VOICE = "en-gb-x-rp+f4"
"""The simulated caller speaks with this voice, so a listener can tell them from the application."""

LANGUAGES: dict[str, str] = {
    "en-us": "en-us",
    "en-ca": "en-us",
    "en-gb": "en-gb",
    "en-au": "en-gb",
    "en-nz": "en-gb",
    "en-in": "en-gb",
    "en-ie": "en-gb",
    "en-za": "en-gb",
    "en-gb-wls": "en-gb",
    "es-es": "es",
    "es-mx": "es-419",
    "es-us": "es-419",
    "fr-fr": "fr-fr",
    "fr-ca": "fr-fr",
    "fr-be": "fr-be",
    "fr-ch": "fr-ch",
    "pt-br": "pt-br",
    "pt-pt": "pt",
    "zh-cn": "cmn",
    "cmn-cn": "cmn",
    "zh-tw": "cmn",
    "zh-hk": "yue",
    "yue-cn": "yue",
    "yue-hk": "yue",
    "arb": "ar",
    "nb-no": "nb",
    "no-no": "nb",
}
"""TwiML language (lower case) -> espeak-ng language where the base language alone is not right."""

ESPEAK_LANGUAGES = frozenset(
    [
        "af",
        "am",
        "an",
        "ar",
        "as",
        "az",
        "ba",
        "be",
        "bg",
        "bn",
        "bs",
        "ca",
        "cmn",
        "cs",
        "cv",
        "cy",
        "da",
        "de",
        "el",
        "en",
        "en-029",
        "en-gb",
        "en-us",
        "eo",
        "es",
        "es-419",
        "et",
        "eu",
        "fa",
        "fi",
        "fr",
        "fr-be",
        "fr-ch",
        "fr-fr",
        "ga",
        "gd",
        "gn",
        "gu",
        "haw",
        "he",
        "hi",
        "hr",
        "ht",
        "hu",
        "hy",
        "ia",
        "id",
        "io",
        "is",
        "it",
        "ja",
        "ka",
        "kk",
        "kl",
        "kn",
        "ko",
        "kok",
        "ku",
        "ky",
        "la",
        "lb",
        "lt",
        "lv",
        "mi",
        "mk",
        "ml",
        "mr",
        "ms",
        "mt",
        "my",
        "nb",
        "ne",
        "nl",
        "om",
        "or",
        "pa",
        "pap",
        "pl",
        "pt",
        "pt-br",
        "qu",
        "ro",
        "ru",
        "sd",
        "si",
        "sk",
        "sl",
        "sq",
        "sr",
        "sv",
        "sw",
        "ta",
        "te",
        "th",
        "tk",
        "tn",
        "tr",
        "tt",
        "ug",
        "uk",
        "ur",
        "uz",
        "vi",
        "yue",
    ]
)
"""Languages of espeak-ng 1.51 (``espeak-ng --voices``)."""

POLLY: dict[str, tuple[str, str]] = {}
"""Amazon Polly voice name -> (language, gender ``F``/``M``)."""
for _lang, _female, _male in (
    (
        "en-US",
        "Joanna Salli Kendra Kimberly Ivy Ruth Danielle",
        "Justin Joey Matthew Kevin Stephen Gregory Patrick",
    ),
    ("en-GB", "Amy Emma", "Brian Arthur"),
    ("en-AU", "Nicole Olivia", "Russell"),
    ("en-IN", "Aditi Raveena Kajal", ""),
    ("en-GB-WLS", "", "Geraint"),
    ("en-NZ", "Aria", ""),
    ("en-ZA", "Ayanda", ""),
    ("en-IE", "Niamh", ""),
    ("es-ES", "Conchita Lucia", "Enrique Sergio"),
    ("es-MX", "Mia", "Andres"),
    ("es-US", "Penelope Lupe", "Miguel Pedro"),
    ("fr-FR", "Celine Lea", "Mathieu Remi"),
    ("fr-CA", "Chantal Gabrielle", "Liam"),
    ("de-DE", "Marlene Vicki", "Hans Daniel"),
    ("de-AT", "Hannah", ""),
    ("it-IT", "Carla Bianca", "Giorgio Adriano"),
    ("pt-BR", "Vitoria Camila", "Ricardo Thiago"),
    ("pt-PT", "Ines", "Cristiano"),
    ("ja-JP", "Mizuki Kazuha Tomoko", "Takumi"),
    ("nl-NL", "Lotte Laura", "Ruben"),
    ("da-DK", "Naja Sofie", "Mads"),
    ("nb-NO", "Liv Ida", ""),
    ("sv-SE", "Astrid Elin", ""),
    ("pl-PL", "Ewa Maja Ola", "Jacek Jan"),
    ("ru-RU", "Tatyana", "Maxim"),
    ("tr-TR", "Filiz Burcu", ""),
    ("ro-RO", "Carmen", ""),
    ("is-IS", "Dora", "Karl"),
    ("cy-GB", "Gwyneth", ""),
    ("ko-KR", "Seoyeon", ""),
    ("cmn-CN", "Zhiyu", ""),
    ("arb", "Zeina", ""),
    ("hi-IN", "Kajal", ""),
):
    for _name in _female.split():
        POLLY.setdefault(_name, (_lang, "F"))
    for _name in _male.split():
        POLLY.setdefault(_name, (_lang, "M"))

GOOGLE_MALE_LETTERS: dict[str, frozenset[str]] = {
    "en-US": frozenset("ABDIJ"),
    "en-GB": frozenset("BDO"),
    "en-AU": frozenset("BD"),
    "en-IN": frozenset("BC"),
    "es-ES": frozenset("BE"),
    "fr-FR": frozenset("BDG"),
    "de-DE": frozenset("BDE"),
}
"""Google voice letters that are male, per language (others are taken as female)."""


@dataclass(frozen=True)
class EspeakVoice:
    """An espeak-ng voice: ``name`` for ``SetVoiceByName``/``-v`` (``en-us+f3``), its language,
    whether the TwiML voice honours SSML, and warnings about the mapping."""

    name: str
    language: str
    gender: str
    ssml: bool
    warnings: tuple[str, ...] = ()


def espeak_language(language: str) -> tuple[str, str | None]:
    """The espeak-ng language for a TwiML ``language``, and a warning when it had to fall back."""
    key = language.strip().lower().replace("_", "-")
    if key in LANGUAGES:
        return LANGUAGES[key], None
    if key in ESPEAK_LANGUAGES:
        return key, None
    base = key.split("-", 1)[0]
    if base in ESPEAK_LANGUAGES:
        return base, None
    return "en-us", f"language {language!r} has no espeak-ng voice; spoken in en-US"


def resolve(voice: str, language: str = DEFAULT_LANGUAGE) -> EspeakVoice:
    """The espeak-ng voice for a ``<Say voice language>``."""
    warnings: list[str] = []
    gender = "M"
    ssml = True
    lang = language or DEFAULT_LANGUAGE
    family, _, name = voice.partition(".")
    if voice in ("man", "woman", "alice", ""):
        gender = "M" if voice in ("man", "") else "F"
        ssml = False
    elif family == "Polly":
        base = name.split("-", 1)[0]
        if base in POLLY:
            lang, gender = POLLY[base]
        else:
            warnings.append(f"unknown Polly voice {voice!r}; a female voice in {lang} is used")
            gender = "F"
    elif family == "Google":
        parts = name.split("-")
        if len(parts) >= 3:
            lang = f"{parts[0]}-{parts[1]}"
            letter = parts[-1]
            gender = "M" if letter in GOOGLE_MALE_LETTERS.get(lang, frozenset()) else "F"
        else:
            warnings.append(
                f"unrecognised Google voice {voice!r}; a female voice in {lang} is used"
            )
            gender = "F"
    else:
        warnings.append(
            f"voice {voice!r} has no espeak-ng equivalent; a male voice in {lang} is used"
        )
    espeak_lang, warning = espeak_language(lang)
    if warning:
        warnings.append(warning)
    variant = FEMALE_VARIANT if gender == "F" else MALE_VARIANT
    return EspeakVoice(f"{espeak_lang}+{variant}", lang, gender, ssml, tuple(warnings))
