"""Alembic migrations. A package so that setuptools ships ``versions/*.py`` in the wheel."""
