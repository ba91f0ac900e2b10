"""The hardened parser: bytes from an untrusted source to an lxml tree, or diagnostics saying why not.

No entity expansion, no DTD and no network loads; any DOCTYPE is refused outright (lxml's hardened
parser still leaves entity references in the text); a size cap like Twilio's 64 KB; libxml2's depth
limit of 256. It never raises for a bad document.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.source import Position, Source

MAX_DOCUMENT_BYTES = 64 * 1024
"""Twilio refuses response bodies over 64 KB (11750); so does callbox, before parsing."""

AMAZON_NAMESPACE = b"http://www.amazon.com/xml/ns/amazon"
"""Twilio accepts Polly's ``<amazon:effect>`` and ``<amazon:domain>`` without a declaration."""

_XML_ERR_RESERVED_XML_NAME = 64  # "XML declaration allowed only at the start of the document"
_XML_NS_ERR_UNDEFINED_NAMESPACE = 201


_PARSERS = threading.local()


def _new_parser() -> etree.XMLParser:
    """This thread's hardened parser: building one costs ~13 us, more than parsing 1 KB."""
    parser: etree.XMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = _build_parser()
    return parser


def _build_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_pis=False,
        collect_ids=False,
    )


@dataclass(frozen=True)
class ParsedDocument:
    """The result of parsing: the tree when it could be built, and every problem found."""

    source: Source
    root: etree._Element | None
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.root is not None


def _describe_non_xml(head: bytes) -> tuple[str, str]:
    """A message and hint for a body that does not start with ``<``."""
    stripped = head.lstrip()
    if stripped[:1] in (b"{", b"["):
        return (
            "The body is not XML: it looks like JSON",
            "Return TwiML (Content-Type: text/xml) starting with <Response>, not JSON.",
        )
    return (
        "The body is not XML: it does not start with '<'",
        "Return a TwiML document such as <Response><Say>Hello</Say></Response>.",
    )


def parse(
    data: bytes | str, path: str = "<string>", *, max_bytes: int = MAX_DOCUMENT_BYTES
) -> ParsedDocument:
    """Parse one TwiML document; the tree is None when the document cannot be used at all."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    source = Source(raw, path)
    if len(raw) > max_bytes:
        return _failure(
            source,
            codes.RESPONSE_TOO_LARGE,
            f"The document is {len(raw):,} bytes; the limit is {max_bytes:,} bytes",
            Position(1, 1),
            "Split the flow into several documents joined with <Redirect>.",
        )
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    content = body.lstrip()
    if not content:
        return _failure(
            source, codes.DOCUMENT_PARSE_FAILURE, "The document is empty", Position(1, 1)
        )
    if content[:1] != b"<":
        message, advice = _describe_non_xml(body[:64])
        offset = len(raw) - len(content)
        return _failure(
            source,
            codes.DOCUMENT_PARSE_FAILURE,
            message,
            source.position_of_offset(offset),
            advice,
        )
    doctype = raw.find(b"<!DOCTYPE")
    if doctype != -1:
        return _failure(
            source,
            codes.DOCUMENT_PARSE_FAILURE,
            "DOCTYPE declarations are not allowed in TwiML",
            source.position_of_offset(doctype),
            "Remove the <!DOCTYPE ...> declaration; entities and external DTDs are refused.",
        )
    try:
        root = etree.fromstring(raw, _new_parser())
    except etree.XMLSyntaxError as error:
        return _syntax_failure(error, raw, source, path)
    if root.tag != "Response":
        at = source.element_position(root)
        hint = "Did you mean <Response>?" if str(root.tag).lower() == "response" else None
        found = codes.INVALID_ROOT.diagnostic(
            f"The root element must be <Response>, not <{root.tag}>",
            line=at.line,
            column=at.column,
            path=path,
            hint=hint,
        )
        return ParsedDocument(source, root, (found,))
    return ParsedDocument(source, root)


def _failure(
    source: Source, code: codes.Code, message: str, at: Position, hint: str | None = None
) -> ParsedDocument:
    """No tree: the document cannot be used at all, for one reason."""
    found = code.diagnostic(message, line=at.line, column=at.column, path=source.path, hint=hint)
    return ParsedDocument(source, None, (found,))


def _syntax_failure(
    error: etree.XMLSyntaxError, raw: bytes, source: Source, path: str
) -> ParsedDocument:
    error_code = getattr(error, "code", 0)
    if error_code == _XML_NS_ERR_UNDEFINED_NAMESPACE and b"amazon:" in raw:
        retried = _parse_with_amazon_namespace(raw)
        if retried is not None:
            return ParsedDocument(source, retried)
    line, column = error.position if error.position else (0, 0)
    message = str(error.msg).split(", line ")[0]
    hint: str | None = None
    if error_code == _XML_ERR_RESERVED_XML_NAME:
        message = "Text or whitespace before the XML declaration"
        hint = (
            "Nothing may come before <?xml ...?>: remove the blank line or text printed before it."
        )
        line, column = 1, 1
    elif b"<html" in raw[:512].lower():
        hint = "The body looks like HTML; return TwiML starting with <Response>."
    found = codes.DOCUMENT_PARSE_FAILURE.diagnostic(
        f"Document parse failure: {message}", line=line, column=column, path=path, hint=hint
    )
    return ParsedDocument(source, None, (found,))


def _parse_with_amazon_namespace(raw: bytes) -> etree._Element | None:
    """Parse again with the ``amazon`` prefix declared on the root, as Twilio tolerates."""
    match = re.search(rb"<Response\b", raw)
    if match is None or b"xmlns:amazon" in raw:
        return None
    declared = (
        raw[: match.end()] + b' xmlns:amazon="' + AMAZON_NAMESPACE + b'"' + raw[match.end() :]
    )
    try:
        return etree.fromstring(declared, _new_parser())
    except etree.XMLSyntaxError:
        return None
