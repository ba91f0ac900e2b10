"""The XSD and the model's coercers accept the same values for every enumerated attribute.

Both check attribute values (the XSD for 12200, the coercers for Twilio's 13xxx codes); where
they disagree, lint reports a valid document or the runtime drops a value the schema allowed.
For each attribute whose XSD type is an enumeration (or a list of one), the value is validated
against that very type through a probe schema, and given to the attribute's coercer.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from callbox.markup import attributes as a
from callbox.markup.build import ATTRIBUTE_RULES, SSML_RULES
from callbox.markup.build.common import AttributeRule
from callbox.markup.dialect import Dialect
from callbox.markup.schema import SCHEMA_DIR, SCHEMA_FILES, compiled
from callbox.markup.vocabulary import enumerated_types

XS = "{http://www.w3.org/2001/XMLSchema}"


@cache
def enumerations() -> dict[str, tuple[str, ...]]:
    """Every named simple type that is an enumeration, or a list of one: its values."""
    return enumerated_types(SCHEMA_DIR)


@cache
def probe(type_name: str) -> etree.XMLSchema:
    """A schema whose one element's attribute ``v`` has the TwiML type ``type_name``."""
    voice = (SCHEMA_DIR / SCHEMA_FILES[Dialect.VOICE]).as_uri()
    text = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="{voice}"/>
  <xs:element name="probe"><xs:complexType>
    <xs:attribute name="v" type="{type_name}"/>
  </xs:complexType></xs:element>
</xs:schema>"""
    return etree.XMLSchema(etree.fromstring(text.encode()))


def xsd_accepts(type_name: str, value: str) -> bool:
    element = etree.Element("probe")
    element.set("v", value)
    return probe(type_name).validate(element)


def model_accepts(rule: AttributeRule, value: str) -> bool:
    result: Any = rule.coerce(value)
    return not isinstance(result, a.Problem)


def enumerated_attributes() -> list[tuple[str, str, str, AttributeRule]]:
    """(tag, attribute, XSD type, the model's rule) for every enumerated attribute."""
    rules_by_tag = {cls.__name__: table for cls, table in ATTRIBUTE_RULES.items()}
    rules_by_tag.update(SSML_RULES)
    found: dict[tuple[str, str], tuple[str, str, str, AttributeRule]] = {}
    for dialect in (Dialect.VOICE, Dialect.MESSAGING):
        vocabulary = compiled(dialect).vocabulary
        for tag, attributes in vocabulary.attributes.items():
            table = rules_by_tag.get(tag)
            if table is None:
                continue
            for name, type_name in attributes.items():
                local = type_name.rpartition("}")[2]
                rule = table.get(name)
                if rule is not None and local in enumerations():
                    found[(tag, name)] = (tag, name, local, rule)
    return [found[key] for key in sorted(found)]


CASES = enumerated_attributes()


def test_the_enumerated_attributes_are_found() -> None:
    names = {(tag, name) for tag, name, _, _ in CASES}
    assert {("Gather", "method"), ("Prompt", "errorType"), ("Say", "voice")} & names
    assert len(CASES) > 40


@pytest.mark.parametrize(
    ("tag", "name", "type_name", "rule"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_every_value_the_xsd_enumerates_is_one_the_model_accepts(
    tag: str, name: str, type_name: str, rule: AttributeRule
) -> None:
    refused = [v for v in enumerations()[type_name] if not model_accepts(rule, v)]
    assert refused == []


def _variants(value: str) -> list[str]:
    return [value, value.upper(), value.lower(), value.title(), f" {value} ", value + "x"]


@st.composite
def attribute_values(draw: st.DrawFn) -> tuple[str, str, str, AttributeRule, str]:
    tag, name, type_name, rule = draw(st.sampled_from(CASES))
    known = enumerations()[type_name]
    chosen = draw(st.lists(st.sampled_from(known), min_size=1, max_size=3))
    value = draw(
        st.one_of(
            st.sampled_from(_variants(chosen[0])),
            st.just(" ".join(chosen)),
            st.just(",".join(chosen)),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_ 0123456789", max_size=12),
        )
    )
    return tag, name, type_name, rule, value


@given(case=attribute_values())
def test_the_xsd_and_the_model_accept_the_same_values(
    case: tuple[str, str, str, AttributeRule, str],
) -> None:
    tag, name, type_name, rule, value = case
    assert xsd_accepts(type_name, value) == model_accepts(rule, value), (tag, name, value)
