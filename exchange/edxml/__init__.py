"""QCVN 102:2016 edXML: parse, build, and store messages apart from their attachments.

Pure: imports lxml and `exchange.domain` only.
"""

from exchange.edxml.envelope import (
    Base64Layout,
    Detached,
    DetachedPart,
    append_trace,
    decode_base64,
    detach_attachments,
    splice,
)
from exchange.edxml.limits import LIMITS, EdxmlLimits
from exchange.edxml.namespaces import DSIG_NS, NS, PREFIX
from exchange.edxml.reader import ParsedEdxml, parse_edxml
from exchange.edxml.writer import build_edxml

__all__ = [
    "DSIG_NS",
    "LIMITS",
    "NS",
    "PREFIX",
    "Base64Layout",
    "Detached",
    "DetachedPart",
    "EdxmlLimits",
    "ParsedEdxml",
    "append_trace",
    "build_edxml",
    "decode_base64",
    "detach_attachments",
    "parse_edxml",
    "splice",
]
