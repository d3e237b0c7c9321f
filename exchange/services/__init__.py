"""Use cases. Each takes a `Store` (and what else it needs) and never commits."""
