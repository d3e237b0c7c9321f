"""The `eoffice` console script: the top of the import graph. Each package defines its own
commands next to the code they drive; `eoffice.main` collects them, and nothing imports it."""

from __future__ import annotations

__all__: list[str] = []
