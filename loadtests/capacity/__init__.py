"""How much traffic one hub carries: `eoffice capacity` replays a profile's busiest kind of day
faster and faster (`loadtests.replay`, one fresh hub per step) until a limit breaks.

`peak` finds the profile's busiest hour and the days a step replays, `measure` reads a step's
figures after its warm-up, `ladder` decides the next compression, a break, the answer and what
it means in provinces, `text` prints them, `steps` runs one step, `run` is the command.
"""

from __future__ import annotations

__all__: list[str] = []
