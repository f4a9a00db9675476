"""The declarative ``Base`` every table is declared on, with deterministic constraint names.

Contract: one ``Base.metadata`` for the whole service. Tables are declared in ``models.py`` and
``account_tables.py``; import ``models`` (which imports ``account_tables``) to get the complete metadata — this
module alone holds no table.
"""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names, so that later migrations can refer to (and drop) them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
