"""The `eoffice` console script: the top of the import graph. Each package defines its own
commands next to the code they drive; `eoffice.main` collects them, and nothing imports it."""

from __future__ import annotations

import warnings

__all__: list[str] = []

# pyHanko imports cryptography's DSA key type, which cryptography 47+ deprecates on access: a
# warning the user can do nothing about (we never use DSA), printed before every answer.
warnings.filterwarnings("ignore", message="DSA is deprecated")
