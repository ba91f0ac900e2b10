"""What the TwiML schemas declare: element names, their attributes, children and value types.

Read from the XSD files themselves (so the schemas stay the single source of names), with the way
those names are written for people in messages (``xml:lang``, ``<amazon:effect>``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

_XS = "{http://www.w3.org/2001/XMLSchema}"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
_KNOWN_PREFIXES = {
    XML_NAMESPACE: "xml",
    "http://www.amazon.com/xml/ns/amazon": "amazon",
}


@dataclass
class Vocabulary:
    """Element names, their attributes and children, read from the XSD files themselves.

    Keys are lxml tags and attribute names (Clark notation for namespaced ones); types are the
    names of the XSD simple types. A name declared in several places (``<Sip>`` in ``<Dial>`` and
    in ``<Refer>``) has the union of its declarations.
    """

    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    children: dict[str, set[str]] = field(default_factory=dict)
    text_types: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    """What a valid value of each named simple type looks like (from its xs:documentation)."""

    def element(self, tag: str) -> None:
        self.attributes.setdefault(tag, {})
        self.children.setdefault(tag, set())

    def describe(self, type_name: str | None) -> str | None:
        return self.descriptions.get(type_name) if type_name else None


class _SchemaReader:
    """Walks the XSD documents reachable from one schema file and fills a ``Vocabulary``."""

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()
        self.types: dict[str, etree._Element] = {}
        self.elements: dict[str, etree._Element] = {}
        self.attribute_groups: dict[str, etree._Element] = {}
        self.groups: dict[str, etree._Element] = {}
        self.attributes: dict[str, etree._Element] = {}
        self._walked: set[etree._Element] = set()

    def load(self, path: Path, seen: set[Path] | None = None) -> None:
        seen = set() if seen is None else seen
        if path in seen:
            return
        seen.add(path)
        document = etree.parse(str(path), schema_parser()).getroot()
        namespace = document.get("targetNamespace", "")
        for child in document:
            if not isinstance(child.tag, str):
                continue
            name = child.get("name")
            location = child.get("schemaLocation")
            if child.tag in (_XS + "include", _XS + "import") and location:
                self.load(path.parent / location, seen)
            elif name is None:
                continue
            elif child.tag in (_XS + "simpleType", _XS + "complexType"):
                self.types[_clark(namespace, name)] = child
                if child.tag == _XS + "simpleType":
                    text = child.findtext(f"{_XS}annotation/{_XS}documentation")
                    if text:
                        self.vocabulary.descriptions[_clark(namespace, name)] = " ".join(
                            text.split()
                        )
            elif child.tag == _XS + "element":
                self.elements[_clark(namespace, name)] = child
            elif child.tag == _XS + "attributeGroup":
                self.attribute_groups[_clark(namespace, name)] = child
            elif child.tag == _XS + "group":
                self.groups[_clark(namespace, name)] = child
            elif child.tag == _XS + "attribute":
                self.attributes[_clark(namespace, name)] = child

    def walk(self) -> Vocabulary:
        for tag, declaration in self.elements.items():
            self._element(tag, declaration)
        return self.vocabulary

    def _qname(self, node: etree._Element, value: str) -> str:
        prefix, _, local = value.rpartition(":")
        namespace = node.nsmap.get(prefix or None, "") if prefix != "xml" else XML_NAMESPACE
        return _clark(namespace or "", local)

    def _element(self, tag: str, declaration: etree._Element) -> None:
        self.vocabulary.element(tag)
        if declaration in self._walked:
            return
        self._walked.add(declaration)
        type_name = declaration.get("type")
        if type_name is not None:
            resolved = self._qname(declaration, type_name)
            named = self.types.get(resolved)
            if named is not None and named.tag == _XS + "complexType":
                self._complex_type(tag, named)
            else:
                self.vocabulary.text_types[tag] = resolved
        for inline in declaration:
            if inline.tag == _XS + "complexType":
                self._complex_type(tag, inline)
            elif inline.tag == _XS + "simpleType":
                self.vocabulary.text_types[tag] = ""

    def _complex_type(self, tag: str, node: etree._Element) -> None:
        for child in node:
            kind = child.tag
            if kind == _XS + "attribute":
                self._attribute(tag, child)
            elif kind == _XS + "attributeGroup":
                group = self.attribute_groups[self._qname(child, child.get("ref", ""))]
                self._complex_type(tag, group)
            elif kind in (_XS + "simpleContent", _XS + "complexContent"):
                for derivation in child:
                    if not isinstance(derivation.tag, str):
                        continue
                    base = self._qname(derivation, derivation.get("base", ""))
                    named = self.types.get(base)
                    if named is not None and named.tag == _XS + "complexType":
                        self._complex_type(tag, named)
                    elif kind == _XS + "simpleContent":
                        self.vocabulary.text_types[tag] = base
                    self._complex_type(tag, derivation)
            elif kind in (_XS + "sequence", _XS + "choice", _XS + "all"):
                self._particles(tag, child)
            elif kind == _XS + "group":
                self._particles(tag, self.groups[self._qname(child, child.get("ref", ""))])

    def _particles(self, tag: str, node: etree._Element) -> None:
        for child in node:
            if child.tag == _XS + "element":
                if child.get("ref") is not None:
                    name = self._qname(child, child.get("ref", ""))
                    declaration = self.elements[name]
                else:
                    name = _clark(self._local_namespace(child), child.get("name", ""))
                    declaration = child
                self.vocabulary.children[tag].add(name)
                self._element(name, declaration)
            elif child.tag in (_XS + "sequence", _XS + "choice", _XS + "all"):
                self._particles(tag, child)
            elif child.tag == _XS + "group":
                self._particles(tag, self.groups[self._qname(child, child.get("ref", ""))])

    def _local_namespace(self, declaration: etree._Element) -> str:
        """Local element declarations are unqualified unless the schema says otherwise."""
        schema = declaration.getroottree().getroot()
        if schema.get("elementFormDefault") == "qualified":
            return schema.get("targetNamespace", "")
        return ""

    def _attribute(self, tag: str, node: etree._Element) -> None:
        ref = node.get("ref")
        if ref is not None:
            name = self._qname(node, ref)
            declaration = self.attributes.get(name, node)
        else:
            name, declaration = node.get("name", ""), node
        type_name = declaration.get("type")
        resolved = self._qname(declaration, type_name) if type_name else ""
        self.vocabulary.attributes[tag][name] = resolved


def _clark(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}" if namespace else local


def schema_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def read_vocabulary(path: Path) -> Vocabulary:
    """Everything the schema at ``path`` declares (with what it includes and imports)."""
    reader = _SchemaReader()
    reader.load(path)
    return reader.walk()


# --- Names as people read them ---------------------------------------------------------------------


def split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def display_name(name: str, element: etree._Element | None = None) -> str:
    """``{http://www.w3.org/XML/1998/namespace}lang`` -> ``xml:lang``; plain names unchanged."""
    namespace, local = split(name)
    if not namespace:
        return local
    prefix = _KNOWN_PREFIXES.get(namespace)
    if element is not None:
        for key, uri in element.nsmap.items():
            if uri == namespace and key:
                prefix = key
    return f"{prefix}:{local}" if prefix else local


def display_tag(name: str) -> str:
    return f"<{display_name(name)}>"


def display(element: etree._Element) -> str:
    return f"<{display_name(str(element.tag), element)}>"


def same_ignoring_case(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate equal to ``name`` but for case (``finishonkey`` -> ``finishOnKey``)."""
    folded = name.casefold()
    for candidate in candidates:
        if candidate != name and candidate.casefold() == folded:
            return candidate
    return None


def enumerated_types(schema_dir: Path) -> dict[str, tuple[str, ...]]:
    """Every named simple type of the TwiML schemas (no target namespace) that is an enumeration,
    or a list of one, with its values; ``twimlBoolean`` (a pattern: any case) as true and false.
    A union is left out: it also takes what its other members allow."""
    direct: dict[str, tuple[str, ...]] = {"twimlBoolean": ("true", "false")}
    lists: dict[str, str] = {}
    for path in sorted(schema_dir.glob("*.xsd")):
        schema = etree.parse(str(path), schema_parser()).getroot()
        if schema.get("targetNamespace"):
            continue  # amazon: and xml: types
        for simple in schema.iter(f"{_XS}simpleType"):
            name = simple.get("name")
            if name is None or simple.find(f"{_XS}union") is not None:
                continue
            values = tuple(str(e.get("value")) for e in simple.iter(f"{_XS}enumeration"))
            if values:
                direct[name] = values
            listed = simple.find(f"{_XS}list")
            if listed is not None and listed.get("itemType"):
                lists[name] = str(listed.get("itemType")).rpartition(":")[2]
    for name, item in lists.items():
        if item in direct:
            direct[name] = direct[item]
    return direct
