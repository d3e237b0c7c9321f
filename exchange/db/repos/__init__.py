"""Typed repositories over SQLAlchemy Core; each takes the connection of the current batch."""
