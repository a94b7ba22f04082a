"""The declarative base every model shares, and the column types it needs."""

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

# Stable constraint names, so migrations can drop or alter them by name on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware datetime stored in UTC on every database.

    SQLite keeps no offset, so values are written as naive UTC and read back as aware UTC;
    PostgreSQL stores ``timestamptz``. Naive datetimes are refused: they are always a bug.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ChoiceEnum(StrEnum):
    """A closed set of text values (a status, a kind, a role)."""

    @classmethod
    def has(cls, value: object) -> bool:
        """Whether ``value`` is one of the members' texts (``in`` on the class needs a member)."""
        return value in cls._value2member_map_


def enum_type(enum: type[StrEnum], name: str) -> sa.Enum:
    """A status or kind column: the enum's values as text, with a CHECK constraint named ``name``.

    Stored as VARCHAR (never a native PostgreSQL enum) so adding a value is a plain migration;
    rows read back as the ``StrEnum`` member, which still compares equal to its text.
    """
    return sa.Enum(
        enum, name=name, native_enum=False, create_constraint=True, length=20,
        values_callable=lambda members: [member.value for member in members], validate_strings=True,
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
