"""Engine set-up that makes SQLite behave like the production database where it matters.

SQLite gets WAL, a busy timeout and foreign keys. Its transactions start with
``BEGIN IMMEDIATE`` when the work may write (every unsafe HTTP method, and all work outside
a request: commands, workers, threads), so a capacity check and the write that follows it
cannot interleave with another writer: the role ``SELECT … FOR UPDATE`` plays on PostgreSQL.
Safe requests (GET) read concurrently with deferred transactions.
"""

from contextvars import ContextVar

import sqlalchemy as sa
from flask import Flask, request

from app.extensions import db

_write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def set_write_intent(value: bool = True) -> None:
    """Declare that the next transaction on this thread will write (SQLite: BEGIN IMMEDIATE)."""
    _write_intent.set(value)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def configure_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        # SQLite's lower() knows only ASCII; searching "őze" must find "Őze" as on PostgreSQL.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection):
        immediate = _write_intent.get()
        connection.info["immediate"] = immediate
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def lock_row(model, row_id: int):
    """Lock one row for the rest of the transaction and return it fresh from the database."""
    if db.engine.dialect.name == "sqlite":
        connection = db.session.connection()
        if not connection.info.get("immediate"):
            # A deferred transaction already began: take the write lock by writing.
            table = model.__table__
            connection.execute(sa.update(table).where(table.c.id == row_id).values(id=table.c.id))
        return db.session.execute(
            db.select(model).where(model.id == row_id).execution_options(populate_existing=True)
        ).scalar_one()
    return db.session.execute(
        db.select(model).where(model.id == row_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def init_app(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

    @app.before_request
    def declare_write_intent():
        set_write_intent(request.method not in SAFE_METHODS)
