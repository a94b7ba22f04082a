"""Shared pieces of the benchmarks: a gunicorn server on loopback and a seeded database."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/masterclass_bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_environment(database_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "MASTERCLASS_CONFIG": "development",
        "FLASK_SECRET_KEY": "benchmark-secret-key",
        "FLASK_RATELIMIT_ENABLED": "false",  # every request comes from 127.0.0.1
        "FLASK_MAIL_DELIVER_IN_BACKGROUND": "false",  # mail waits in the outbox; no SMTP server here
        # gunicorn.conf.py (the production settings) is used, less the access log to stdout and the
        # worker recycling, which would make the numbers depend on when a worker happens to restart.
        "GUNICORN_ACCESSLOG": "off",
        "GUNICORN_MAX_REQUESTS": "0",
    })
    env.update(extra)
    return env


def reset_database(database_url: str) -> None:
    """An empty PostgreSQL database or SQLite file, then the migrations."""
    import sqlalchemy as sa

    from config import normalise_database_url

    url = sa.engine.make_url(normalise_database_url(database_url))
    if url.get_backend_name() == "postgresql":
        # An existing database is emptied schema-wise: DROP DATABASE waits for a checkpoint, which
        # takes minutes on a machine whose disk is busy with other test suites.
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            found = connection.execute(sa.text("SELECT datconnlimit FROM pg_database WHERE datname = :name"),
                                       {"name": url.database}).first()
            if found is not None and found.datconnlimit == -2:  # left invalid by an interrupted DROP DATABASE
                connection.exec_driver_sql(f'DROP DATABASE "{url.database}"')
                found = None
            if found is not None:
                connection.execute(sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"),
                    {"name": url.database})
            else:
                connection.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
        admin.dispose()
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    elif url.database:
        Path(url.database).unlink(missing_ok=True)
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=bench_environment(database_url),
                   check=True, capture_output=True)


class Server(str):
    """The server's base URL (a str, as before), with the gunicorn master's process id."""

    pid: int


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int = 2, threads: int = 8, app: str = "wsgi:app", worker_class: str = "gthread",
             port: int | None = None, **extra_env: str):
    """gunicorn with the project's gunicorn.conf.py on a loopback port; yields the base URL."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", worker_class, "--log-level", "warning", app],
        cwd=ROOT, env=bench_environment(database_url, **extra_env),
    )
    base = Server(f"http://127.0.0.1:{port}")
    base.pid = process.pid
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/healthz", timeout=5).status_code in (200, 404):
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
