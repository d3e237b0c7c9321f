"""The only layer that imports FastAPI: app factory, routes, schemas, auth, error mapping."""

from exchange.api.app import create_app

__all__ = ["create_app"]
