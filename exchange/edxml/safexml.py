"""Parse untrusted XML bytes: no DTD, no entity, no processing instruction, nothing fetched,
nothing bigger than the hub's limits (`exchange.edxml.limits`).

The prolog is scanned before libxml2 sees the bytes, so a DOCTYPE is refused before any
entity can be declared; the bytes are always decoded as UTF-8, so the scan sees what the
parser sees. `huge_tree` lets a 50 MB message hold a >10 MB base64 text node (a scanned PDF);
it is safe only because DTDs never reach the parser and because the hub counts for itself
what `huge_tree` lifts: a body with too many `<` is refused unparsed (one C-speed count of
the bytes), and the parsed tree's elements, comments and depth are counted (in C, by XPath)
before anything walks it. The tree is checked again for DTDs, entities and PIs.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import cast

from lxml import etree

from exchange.domain.errors import EdxmlLimitExceeded, XmlForbiddenConstruct, XmlMalformed
from exchange.edxml.limits import LIMITS, EdxmlLimits

__all__ = ["parse_untrusted"]

_DECLARATION = re.compile(rb"<\?xml[ \t\r\n]")
_MARKUP_NAME = re.compile(rb"<!([A-Za-z\[]*)")
_POSITION_SUFFIX = re.compile(r", line \d+, column \d+$")
_NODES = etree.XPath("count(//*) + count(//comment())")


def parse_untrusted(data: bytes, limits: EdxmlLimits = LIMITS) -> etree._Element:
    """The root element of `data`; junk before the first `<` is ignored (real partners)."""
    start = data.find(b"<")
    if start < 0:
        raise XmlMalformed("The body holds no XML element.")
    _refuse_prolog(data, start)
    _refuse_markup(data, limits)
    try:
        root = etree.fromstring(data[start:] if start else data, _parser())
    except etree.XMLSyntaxError as error:
        raise XmlMalformed(_describe(error, data.count(b"\n", 0, start))) from None
    _refuse_oversized(root, limits)
    _refuse_parsed(root)
    return root


def _refuse_markup(data: bytes, limits: EdxmlLimits) -> None:
    """A body with more `<` than `max_markup` is refused unparsed (bytes.count: ~0.3 ms a MB;
    skipped for a body too short to hold that many)."""
    if len(data) <= limits.max_markup:
        return
    markup = data.count(b"<")
    if markup > limits.max_markup:
        raise EdxmlLimitExceeded(
            f"The message has {markup:,} '<' characters, far more than the hub's limit of "
            f"{limits.max_nodes:,} elements and comments."
        )


def _refuse_oversized(root: etree._Element, limits: EdxmlLimits) -> None:
    nodes = int(cast("float", _NODES(root)))
    if nodes > limits.max_nodes:
        raise EdxmlLimitExceeded(
            f"The message has {nodes:,} elements and comments; the hub takes at most "
            f"{limits.max_nodes:,}."
        )
    if _deeper_than(limits.max_depth)(root):
        raise EdxmlLimitExceeded(
            f"The message nests elements more than {limits.max_depth} deep, the hub's limit."
        )


@lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    """True when an element sits below `depth` levels: one step per level, each visiting the
    elements of its level only, so the whole evaluation is linear in the tree."""
    return etree.XPath("boolean(" + "/*" * (depth + 1) + ")")


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
