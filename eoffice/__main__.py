"""`python -m eoffice`: the console script without its wrapper."""

from __future__ import annotations

import sys

from eoffice.main import main

sys.exit(main())
