"""The hardened parser: bytes from an untrusted source to an lxml tree, or diagnostics saying why not.

No entity expansion, no DTD and no network loads; any DOCTYPE is refused outright, whatever the
encoding (the text is decoded before it is searched, and the tree is checked again after parsing);
libxml2 cannot open any file or URL (every load goes to a resolver that answers nothing); a size
cap like Twilio's 64 KB; libxml2's depth limit of 256. It never raises for a bad document.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.encoding import Encoding, UnknownEncodingError, sniff
from callbox.markup.limits import MAX_DOCUMENT_BYTES
from callbox.markup.source import Position, Source

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


class _RefuseEveryLoad(etree.Resolver):
    """libxml2 asks its resolvers before it opens anything (an external DTD, a parameter entity
    on ``file:///dev/zero``): this one answers every URL with nothing, so nothing is opened."""

    def resolve(  # type: ignore[override]  # lxml passes the context too; the stubs omit it
        self, system_url: str | None, public_id: str | None, context: object
    ) -> object:
        return self.resolve_string("", context, base_url=None)


def _build_parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_pis=False,
        collect_ids=False,
    )
    parser.resolvers.add(_RefuseEveryLoad())
    return parser


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
    try:
        encoding = sniff(raw)
    except UnknownEncodingError as error:
        return _failure(
            source,
            codes.DOCUMENT_PARSE_FAILURE,
            f"Document parse failure: Unsupported encoding: {error.name}",
            Position(1, 1),
            'Declare encoding="UTF-8" (and save the file as UTF-8), or leave the declaration out.',
        )
    wide = encoding.codec != "utf-8"
    body = encoding.decode(raw[:64]).encode() if wide else raw[encoding.mark :]
    content = body.lstrip()
    if not content:
        return _failure(
            source, codes.DOCUMENT_PARSE_FAILURE, "The document is empty", Position(1, 1)
        )
    if content[:1] != b"<":
        message, advice = _describe_non_xml(body[:64])
        offset = 0 if wide else len(raw) - len(content)
        return _failure(
            source,
            codes.DOCUMENT_PARSE_FAILURE,
            message,
            source.position_of_offset(offset),
            advice,
        )
    doctype = _find_doctype(raw, encoding, source)
    if doctype is not None:
        return _doctype_failure(source, doctype)
    try:
        root = etree.fromstring(raw, _new_parser())
    except etree.XMLSyntaxError as error:
        failed = _syntax_failure(error, raw, source, path)
        if failed.root is None:
            return failed
        root = failed.root
    docinfo = root.getroottree().docinfo
    if (
        docinfo.internalDTD is not None
        or docinfo.externalDTD is not None
        or _declares_doctype(docinfo)
    ):
        # an encoding whose text hid the declaration from the search above; libxml2 found it
        return _doctype_failure(source, Position(1, 1))
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


def _declares_doctype(docinfo: etree.DocInfo) -> bool:
    doctype: str = getattr(docinfo, "doctype", "")  # missing from lxml's type stubs
    return bool(doctype)


def _find_doctype(raw: bytes, encoding: Encoding, source: Source) -> Position | None:
    """Where the document's DOCTYPE is, searched in its bytes and in its decoded text."""
    at = raw.find(b"<!DOCTYPE")
    if at != -1:
        return source.position_of_offset(at)
    if encoding.codec == "utf-8":
        return None
    text = encoding.decode(raw)
    at = text.find("<!DOCTYPE")
    if at == -1:
        return None
    line_start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    line = 1 + text.count("\n", 0, at) + text.count("\r", 0, at) - text.count("\r\n", 0, at)
    return Position(line, at - line_start + 1)


def _doctype_failure(source: Source, at: Position) -> ParsedDocument:
    return _failure(
        source,
        codes.DOCUMENT_PARSE_FAILURE,
        "DOCTYPE declarations are not allowed in TwiML",
        at,
        "Remove the <!DOCTYPE ...> declaration; entities and external DTDs are refused.",
    )


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
