"""The QCVN 102:2016 namespace, its mandatory prefix, and qualified-name helpers."""

from __future__ import annotations

__all__ = ["DSIG_NS", "NS", "NSMAP", "PREFIX", "q"]

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
NSMAP = {PREFIX: NS}
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"


def q(local_name: str) -> str:
    """Clark notation for an element of the edXML namespace: `{NS}local_name`."""
    found = _QUALIFIED.get(local_name)
    if found is None:
        found = _QUALIFIED[local_name] = f"{{{NS}}}{local_name}"
    return found


_QUALIFIED: dict[str, str] = {}  # edXML has a few dozen element names
