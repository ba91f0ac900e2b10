"""Fuzzing the markup pipeline: ``check`` never raises, whatever the bytes and options, and every
diagnostic it reports is well formed (a registered code, a position inside the document, a
message) and the same from one run to the next."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from hypothesis import given
from hypothesis import strategies as st

from callbox import codes
from callbox.markup.check import CheckResult, check
from callbox.markup.dialect import Dialect
from callbox.markup.limits import MAX_DOCUMENT_BYTES
from callbox.markup.report import format_github
from callbox.markup.schema import compiled

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [*ROOT.glob("samples/*.xml"), *ROOT.glob("tests/fixtures/lint/**/*.xml")],
    key=lambda path: path.as_posix(),
)
CORPUS = [path.read_bytes() for path in DOCUMENTS]

VOICE = compiled(Dialect.VOICE).vocabulary
MESSAGING = compiled(Dialect.MESSAGING).vocabulary
TAGS = sorted(
    {tag for vocabulary in (VOICE, MESSAGING) for tag in vocabulary.attributes if "}" not in tag}
)
ATTRIBUTES = sorted(
    {
        name
        for vocabulary in (VOICE, MESSAGING)
        for names in vocabulary.attributes.values()
        for name in names
        if "}" not in name
    }
)

INSERTIONS = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"&amp;",
    b"&lt;",
    b"&#0;",
    b"&#x10FFFF;",
    b"&#xD800;",
    b"&unknown;",
    b"&#99999999999;",
    b'<!DOCTYPE r [<!ENTITY e "x">]>',
    b'<!DOCTYPE r SYSTEM "file:///etc/passwd">',
    b'<!ENTITY x SYSTEM "http://example.com/">',
    b"<![CDATA[x]]>",
    b"<?xml version='1.0'?>",
    b"<?pi x?>",
    b"<!-- - -->",
    b"]]>",
    b"<",
    b">",
    b'"',
    b"\r\n",
    b"\r",
    b"\t",
    b"\n" * 40,
    b"\xc3",
    b"\xed\xa0\x80",
    b' attr="' + b"x" * 70_000 + b'"',
    b' url="' + b"A" * 5_000 + b'"',
    b"<Say>" * 300,
    b"<Gather>" * 40 + b"</Gather>" * 40,
    b'<amazon:effect name="whispered">x</amazon:effect>',
    b'xmlns="urn:x"',
    b'xmlns:amazon="urn:y"',
    b"\xf0\x9f\x93\x9e",
]

LINTED_CODES = set(codes.CODES)


def _lines(data: bytes) -> int:
    """Lines as XML counts them: CR LF and a lone CR end a line, as LF does."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def _assert_well_formed(result: CheckResult, data: bytes) -> None:
    last_line = _lines(data) + 1
    for diagnostic in result.diagnostics:
        assert diagnostic.code in LINTED_CODES, diagnostic
        assert diagnostic.message.strip(), diagnostic
        assert 0 <= diagnostic.line <= last_line, (diagnostic, last_line)
        assert diagnostic.column >= 0, diagnostic
        diagnostic.format()
        diagnostic.as_dict()
    # GitHub reads one workflow command per line: what a document says cannot add another
    annotations = re.split(r"\r\n|\r|\n", format_github(result.diagnostics, {}))[:-1]
    assert len(annotations) == len(result.diagnostics)
    assert all(line.startswith(("::error ", "::warning ")) for line in annotations)


def _check_twice(data: bytes, **options: object) -> CheckResult:
    first = check(data, "fuzz.xml", **options)  # type: ignore[arg-type]
    _assert_well_formed(first, data)
    again = check(data, "fuzz.xml", **options)  # type: ignore[arg-type]
    assert again.diagnostics == first.diagnostics
    assert (again.document is None) == (first.document is None)
    return first


OPTIONS = st.fixed_dictionaries(
    {
        "dialect": st.sampled_from(list(Dialect)),
        "base_url": st.sampled_from(
            [
                None,
                "http://127.0.0.1:5000/voice",
                "https://example.com/a/b?c=d#e",
                "",
                "not a url",
                "http://[::1",
                "file:///etc/passwd",
                "http://exa mple.com/\x00",
                "http://[::1#x",
            ]
        ),
        "rules": st.booleans(),
        "model": st.booleans(),
    }
)


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """A real document with a few byte flips, cuts and insertions."""
    data = bytearray(draw(st.sampled_from(CORPUS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate"]))
        at = draw(st.integers(0, len(data)))
        if kind == "flip" and data:
            index = min(at, len(data) - 1)
            data[index] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(INSERTIONS))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


ATTRIBUTE_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1.5",
            "99999999999999999999",
            "9" * 400,
            "9" * 5000,
            "\u00b2",
            "\u0663",
            "0" * 30 + "7",
            "nan",
            "true",
            "false",
            "#",
            "*",
            "1234#",
            "dtmf speech",
            "http://127.0.0.1/x",
            "relative/path",
            "//host/x",
            "https://[::1]:0/",
            "http://[::1",
            "//[::1/a.mp3",
            "http://[::1#x",
            "a.mp3",
            "next.php?x=1#y",
            "{{ url }}",
            "ftp://example.com/x.wav",
            "POST",
            "GET",
            "DELETE",
            "alice",
            "Polly.Joanna",
            "en-US",
            "+15005550006",
            "client:alice",
            "sip:bob@example.com",
            "initiated ringing answered completed",
            "x" * 5000,
        ]
    ),
    st.text(max_size=30),
)


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    """A random element named from the TwiML vocabulary (sometimes not), random attributes."""
    tag = draw(st.one_of(st.sampled_from(TAGS), st.sampled_from(["say", "X", "Response"])))
    names = draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=4, unique=True))
    attributes = "".join(
        f" {name}={quoteattr(_xml_text(draw(ATTRIBUTE_VALUES)))}" for name in names
    )
    children: list[str] = []
    if depth < 4:
        children = draw(st.lists(elements(depth + 1), max_size=3))
    text = _escape(_xml_text(draw(st.one_of(st.text(max_size=20), ATTRIBUTE_VALUES))))
    return f"<{tag}{attributes}>{text}{''.join(children)}</{tag}>"


def _xml_text(text: str) -> str:
    """Only the characters XML 1.0 allows (the parser's own findings are fuzzed elsewhere)."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c > "\uffff"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def vocabulary_documents(draw: st.DrawFn) -> bytes:
    verbs = draw(st.lists(elements(1), max_size=6))
    return f"<Response>{''.join(verbs)}</Response>".encode()


@given(data=st.binary(max_size=2048), options=OPTIONS)
def test_check_never_raises_on_arbitrary_bytes(data: bytes, options: dict[str, object]) -> None:
    _check_twice(data, **options)


@given(data=mutated_documents(), options=OPTIONS)
def test_check_never_raises_on_mutated_documents(data: bytes, options: dict[str, object]) -> None:
    _check_twice(data, **options)


@given(data=vocabulary_documents(), options=OPTIONS)
def test_check_never_raises_on_random_vocabulary_documents(
    data: bytes, options: dict[str, object]
) -> None:
    result = _check_twice(data, **options)
    # well-formed by construction; only a document over the cap (long values) is refused
    assert result.root is not None or len(data) > MAX_DOCUMENT_BYTES, result.diagnostics[:3]


@given(document=st.sampled_from(CORPUS), options=OPTIONS)
def test_check_never_raises_on_the_corpus_with_every_option(
    document: bytes, options: dict[str, object]
) -> None:
    _check_twice(document, **options)


# --- Hostile documents: encodings, DOCTYPEs, huge numbers, many attributes ---------------------

ENCODINGS = [
    # (codec the bytes are in, name declared in the prolog or None for no encoding=)
    ("utf-8", None),
    ("utf-8", "UTF-8"),
    ("utf-8-sig", None),
    ("utf-8-sig", "UTF-8"),
    ("utf-8-sig", "foo-bar"),
    ("utf-8", "foo-bar"),
    ("utf-8", "ISO-8859-1"),
    ("utf-8-sig", "UTF-16"),
    ("utf-16-le", "UTF-16"),
    ("utf-16-be", "UTF-16"),
    ("utf-16", "UTF-16"),
    ("utf-16", None),
    ("utf-32-le", "UTF-32"),
    ("utf-32-be", "UTF-32"),
    ("utf-32", "UTF-32"),
    ("cp037", "cp037"),
    ("latin-1", "ISO-8859-1"),
    ("utf-7", "UTF-7"),
]

DOCTYPES = [
    "<!DOCTYPE Response>",
    '<!DOCTYPE Response SYSTEM "file:///etc/passwd">',
    '<!DOCTYPE Response SYSTEM "file:///nonexistent/x.dtd">',
    '<!DOCTYPE Response PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:9/x.dtd">',
    '<!DOCTYPE Response [<!ENTITY a "hello">]>',
    '<!DOCTYPE Response [<!ENTITY % zero SYSTEM "file:///dev/zero"> %zero;]>',
    '<!DOCTYPE Response [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
    '<!DOCTYPE Response [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    "<!DOCTYPE Response [<!ELEMENT Response ANY><!ATTLIST Response a CDATA 'x'>]>",
]

HUGE_NUMBERS = ["1" + "0" * n for n in (9, 10, 18, 19, 30, 400, 4301)] + ["-" + "9" * 40, "1e9"]
NUMERIC_ATTRIBUTES = [
    ("Pause", "length"),
    ("Say", "loop"),
    ("Play", "loop"),
    ("Gather", "timeout"),
    ("Gather", "numDigits"),
    ("Record", "maxLength"),
    ("Dial", "timeLimit"),
]


@dataclass(frozen=True)
class HostileDocument:
    """A document as an attacker writes one, kept as its recipe (a short repr when it fails)."""

    codec: str
    declared: str | None
    prolog: bool
    doctype: str | None
    numbers: tuple[tuple[str, str, str], ...]
    attributes: int
    references: bool

    def data(self) -> bytes:
        prolog = ""
        if self.declared is not None or self.prolog:
            encoding = f' encoding="{self.declared}"' if self.declared is not None else ""
            prolog = f'<?xml version="1.0"{encoding}?>'
        verbs = [f'<{tag} {name}="{value}"/>' for tag, name, value in self.numbers]
        if self.attributes:
            junk = "".join(f' a{i}="{i}"' for i in range(self.attributes))
            verbs.append(f"<Say{junk}>many attributes</Say>")
        if self.references:
            verbs.append("<Say>&a;&x;</Say>")
        text = f"{prolog}{self.doctype or ''}<Response>{''.join(verbs)}</Response>"
        return text.encode(self.codec)


@st.composite
def hostile_documents(draw: st.DrawFn) -> HostileDocument:
    codec, declared = draw(st.sampled_from(ENCODINGS))
    numbers = draw(
        st.lists(
            st.tuples(st.sampled_from(NUMERIC_ATTRIBUTES), st.sampled_from(HUGE_NUMBERS)),
            max_size=4,
        )
    )
    return HostileDocument(
        codec=codec,
        declared=declared,
        prolog=draw(st.booleans()),
        doctype=draw(st.one_of(st.none(), st.sampled_from(DOCTYPES))),
        numbers=tuple((tag, name, value) for (tag, name), value in numbers),
        attributes=draw(st.sampled_from([0, 0, 50, 500, 3000])),
        references=draw(st.booleans()),
    )


@given(document=hostile_documents(), options=OPTIONS)
def test_hostile_documents_get_diagnostics_and_a_doctype_never_parses(
    document: HostileDocument, options: dict[str, object]
) -> None:
    result = _check_twice(document.data(), **options)
    found = [d.code for d in result.diagnostics]
    refused = {"12100", "11750"}  # refused outright: unparseable, or over 64 KB
    if document.doctype is not None:
        assert result.root is None and refused & set(found), found
    if document.declared == "foo-bar":
        assert refused & set(found), found
    assert found.count("12200") <= 101, len(found)  # schema findings are capped per document
