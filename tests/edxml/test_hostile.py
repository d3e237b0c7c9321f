"""Hostile XML: nothing is expanded, nothing is fetched, everything is refused with a code."""

from __future__ import annotations

import pytest
from lxml import etree

from exchange.domain.errors import (
    EdxmlLimitExceeded,
    ExchangeError,
    XmlForbiddenConstruct,
    XmlMalformed,
)
from exchange.edxml import NS, parse_edxml
from exchange.edxml.safexml import _refuse_parsed

BODY = (
    f'<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>'
    "<edXML:MessageHeader><edXML:From><edXML:OrganId>{organ}</edXML:OrganId></edXML:From>"
    "<edXML:DocumentId>d-1</edXML:DocumentId></edXML:MessageHeader>"
    "</edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>"
)


def message(prolog: str, organ: str = "000.00.00.G22") -> bytes:
    return (prolog + BODY.replace("{organ}", organ)).encode()


def refused(data: bytes, error: type[ExchangeError]) -> ExchangeError:
    with pytest.raises(error) as caught:
        parse_edxml(data)
    assert caught.value.code == error.code
    return caught.value


BILLION_LAUGHS = "".join(
    [
        '<?xml version="1.0"?>\n<!DOCTYPE edXML [\n<!ENTITY lol "lol">\n',
        *(
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n'
            for n in range(1, 10)
        ),
        "]>\n",
    ]
)


@pytest.mark.parametrize(
    ("prolog", "organ"),
    [
        pytest.param(BILLION_LAUGHS, "&lol9;", id="billion-laughs"),
        pytest.param(
            '<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;", id="xxe-file"
        ),
        pytest.param(
            '<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>', "&xxe;", id="xxe-http"
        ),
        pytest.param(
            '<!DOCTYPE edXML [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
            "x",
            id="parameter-entity",
        ),
        pytest.param('<!DOCTYPE edXML SYSTEM "http://127.0.0.1:9/e.dtd">', "x", id="external-dtd"),
        pytest.param("1212<!DOCTYPE edXML []>", "x", id="doctype-after-junk"),
        pytest.param('<?xml version="1.0"?><!-- hi --><!DOCTYPE edXML>', "x", id="after-comment"),
        pytest.param("<!ENTITY a 'b'>", "x", id="bare-entity"),
    ],
)
def test_dtd_and_entities_are_refused(prolog: str, organ: str) -> None:
    error = refused(message(prolog, organ), XmlForbiddenConstruct)
    assert "root:" not in error.message and "lol" not in error.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(message('<?xml-stylesheet href="http://x/s.xsl"?>'), id="prolog"),
        pytest.param(message('<?xml version="1.0"?><?php echo 1; ?>'), id="after-declaration"),
        pytest.param(message("<!-- x --><?xml version='1.0'?>"), id="late-declaration"),
        pytest.param(
            message("").replace(b"<edXML:DocumentId>", b"<?pi x?><edXML:DocumentId>"), id="inside"
        ),
        pytest.param(message("") + b"<?pi after?>", id="epilog"),
        pytest.param(
            message("").replace(b"d-1", b"d-1<?eoffice-blob key:0?>"), id="forged-blob-marker"
        ),
    ],
)
def test_processing_instructions_are_refused(data: bytes) -> None:
    refused(data, XmlForbiddenConstruct)


def test_comment_in_prolog_is_fine() -> None:
    assert parse_edxml(message('<?xml version="1.0"?>\n<!-- <!DOCTYPE x> -->\n')).message


def test_undeclared_entity_is_malformed() -> None:
    refused(message("", "&xxe;"), XmlMalformed)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(message("").decode().encode("utf-16"), id="utf-16"),
        pytest.param(b"\x00\x00\x00<", id="nul"),
        pytest.param(message("<![CDATA[x]]>"), id="cdata-in-prolog"),
    ],
)
def test_other_encodings_and_junk_markup_are_refused(data: bytes) -> None:
    with pytest.raises((XmlMalformed, XmlForbiddenConstruct)):
        parse_edxml(data)


def nested(depth: int) -> bytes:
    deep = "<edXML:X>" * depth + "</edXML:X>" * depth
    return message("").replace(b"<edXML:DocumentId>", deep.encode() + b"<edXML:DocumentId>")


def test_nesting_is_capped_by_the_hub_before_libxml2() -> None:
    """The hub's own cap (64) is far below libxml2's 2048 under huge_tree."""
    assert parse_edxml(nested(60)).message.kind == "edoc"  # 4 levels above: 64 deep
    refused(nested(61), EdxmlLimitExceeded)
    refused(nested(1500), EdxmlLimitExceeded)


def test_deeper_nesting_than_libxml2_allows_is_malformed() -> None:
    refused(nested(20_000), XmlMalformed)


def test_parsed_tree_is_checked_again() -> None:
    """Defence in depth: a DTD that somehow reached the parser is still refused."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', parser)
    with pytest.raises(XmlForbiddenConstruct) as caught:
        _refuse_parsed(root)
    assert caught.value.code == "xml_forbidden_construct"
