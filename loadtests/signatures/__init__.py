"""`eoffice bench --signatures`: what verifying signatures on arrival costs the exchange mix.

`run` drives the runs (the mix of `loadtests.bench` against a hub with signatures off, then
enforced), `presign` signs the documents' pool before any run, `report` compares the policies
and `table` prints them.
"""

from __future__ import annotations

__all__: list[str] = []
