"""The only layer that imports SQLAlchemy: tables, repositories, the batch writer, migrations."""
