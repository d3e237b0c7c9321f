"""Alembic environment: online migrations with the project's own engine settings."""

from __future__ import annotations

from alembic import context

from exchange.db.engine import make_engine
from exchange.db.models import metadata

url = context.config.get_main_option("sqlalchemy.url")
assert url, "sqlalchemy.url must be set"
engine = make_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
