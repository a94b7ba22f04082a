"""Profile one page in-process with pyinstrument, on the benchmark's database (seeded by `make bench`).

    .venv/bin/python -m bench.profile /events/bench/agenda [--repeat 20] [--login organiser] [--queries]

Prints pyinstrument's call tree of ``--repeat`` requests (after one warm-up) and, with
``--queries``, the SQL statements one request runs. The benchmark's database must exist.
"""

import argparse
import os
import time

import sqlalchemy as sa
from pyinstrument import Profiler

from bench.common import bench_environment
from bench.run import DEFAULT_DATABASE


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--login", choices=("organiser", "staff"), help="Log in first as the bench organiser or staff.")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--json", help="JSON body for a POST.")
    parser.add_argument("--queries", action="store_true", help="List the SQL statements of one request.")
    args = parser.parse_args(argv)
    os.environ.update(bench_environment(args.database, FLASK_WTF_CSRF_ENABLED="false"))

    from app import create_app
    from app.extensions import db
    from bench.seed import ORGANISER, PASSWORD, STAFF

    app = create_app()
    client = app.test_client()
    if args.login:
        response = client.post("/login", data={"email": ORGANISER if args.login == "organiser" else STAFF, "password": PASSWORD})
        assert response.status_code == 302, response.status_code

    def request():
        body = None if args.json is None else __import__("json").loads(args.json)
        return client.open(args.path, method=args.method, json=body)

    print("status", request().status_code)
    if args.queries:
        statements = []
        with app.app_context():
            engine = db.engine

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", record)
        request()
        sa.event.remove(engine, "before_cursor_execute", record)
        print(f"{len(statements)} statements:")
        for statement in statements:
            print("  ", " ".join(statement.split())[:200])
    profiler = Profiler(interval=0.0005)
    began = time.perf_counter()
    profiler.start()
    for _ in range(args.repeat):
        request()
    profiler.stop()
    print(f"{(time.perf_counter() - began) / args.repeat * 1000:.1f} ms per request")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
