"""`eoffice bench`: how much a local hub carries, measured with Locust.

`run` is the command: `phases` runs one headless Locust phase (`cpu` samples both processes,
`window` opens the measured window), `noop` is the ceiling's locustfile, `exchange_mix` the
mix's: its users (`signed`: a system's connector), their state (`mix_state`, `outgoing`,
`ledger`, `pacing`), the edXML they write and read (`documents`) and the receiver's signature
check (`receiver_check`). `report` prints the figures against the targets. The signature
benchmark (`--signatures`) is `loadtests.signatures`.
"""

from __future__ import annotations

__all__: list[str] = []
