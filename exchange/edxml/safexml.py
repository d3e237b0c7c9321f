"""Parse untrusted XML bytes: no DTD, no entity, no processing instruction, nothing fetched.

The prolog is scanned before libxml2 sees the bytes, so a DOCTYPE is refused before any
entity can be declared; the bytes are always decoded as UTF-8, so the scan sees what the
parser sees. `huge_tree` lets a 50 MB message hold a >10 MB base64 text node; it is safe
only because DTDs never reach the parser. The tree is checked again after parsing.
"""

from __future__ import annotations

import re
import threading

from lxml import etree

from exchange.domain.errors import XmlForbiddenConstruct, XmlMalformed

__all__ = ["parse_untrusted"]

_DECLARATION = re.compile(rb"<\?xml[ \t\r\n]")
_MARKUP_NAME = re.compile(rb"<!([A-Za-z\[]*)")
_POSITION_SUFFIX = re.compile(r", line \d+, column \d+$")


def parse_untrusted(data: bytes) -> etree._Element:
    """The root element of `data`; junk before the first `<` is ignored (real partners)."""
    start = data.find(b"<")
    if start < 0:
        raise XmlMalformed("The body holds no XML element.")
    _refuse_prolog(data, start)
    try:
        root = etree.fromstring(data[start:] if start else data, _parser())
    except etree.XMLSyntaxError as error:
        raise XmlMalformed(_describe(error, data.count(b"\n", 0, start))) from None
    _refuse_parsed(root)
    return root


_LOCAL = threading.local()


def _parser() -> etree.XMLParser:
    """One parser per thread (lxml parsers are not shared between threads), made once."""
    parser: etree.XMLParser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = _new_parser()
    return parser


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_blank_text=False,
    )


def _refuse_prolog(data: bytes, start: int) -> None:
    """Walk the comments and XML declaration before the root; refuse anything else."""
    position = start
    while (position := data.find(b"<", position)) >= 0:
        if data.startswith(b"<!--", position):
            position = _skip(data, position, b"-->")
        elif data.startswith(b"<?", position):
            if position != start or not _DECLARATION.match(data, position):
                raise XmlForbiddenConstruct("Processing instructions are not accepted.")
            position = _skip(data, position, b"?>")
        elif data.startswith(b"<!", position):
            raise XmlForbiddenConstruct(_forbidden_markup(data, position))
        else:
            return


def _skip(data: bytes, position: int, terminator: bytes) -> int:
    end = data.find(terminator, position)
    return len(data) if end < 0 else end + len(terminator)


def _forbidden_markup(data: bytes, position: int) -> str:
    match = _MARKUP_NAME.match(data, position)
    name = match.group(1).decode("ascii") if match else ""
    return f"<!{name} is not accepted: no DTD, no entity declaration, nothing is fetched."


def _refuse_parsed(root: etree._Element) -> None:
    """Defence in depth: the tree holds no DTD, entity or processing instruction."""
    if root.getroottree().docinfo.internalDTD is not None:
        raise XmlForbiddenConstruct("A DOCTYPE is not accepted.")
    if next(root.iter(etree.Entity), None) is not None:
        raise XmlForbiddenConstruct("Entity references are not accepted.")
    siblings = [*root.itersiblings(preceding=True), *root.itersiblings()]
    inside = next(root.iter(etree.ProcessingInstruction), None)
    if inside is not None or any(
        isinstance(node, etree._ProcessingInstruction) for node in siblings
    ):
        raise XmlForbiddenConstruct("Processing instructions are not accepted.")


def _describe(error: etree.XMLSyntaxError, junk_lines: int) -> str:
    line, column = error.position
    reason = _POSITION_SUFFIX.sub("", str(error.msg))
    return f"The XML is not well-formed: line {line + junk_lines}, column {column}: {reason}."
