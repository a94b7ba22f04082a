"""Profile the real server under load: py-spy samples one gunicorn worker while wrk drives a page.

    .venv/bin/python -m bench.pyspy /events/bench/agenda [--seconds 8] [--svg bench/agenda.svg]

Uses the benchmark's database (seeded by `make bench`). Prints the functions where the worker
spends its samples, by own time and by total time (app code only), so a missed target comes
with the profile that explains it. ``--svg`` also writes py-spy's flame graph.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import threading

import psutil

from bench.common import gunicorn
from bench.run import DEFAULT_DATABASE, run_wrk


def top(counter: collections.Counter, total: int, limit: int) -> list[str]:
    return [f"{count / total:6.1%}  {name}" for name, count in counter.most_common(limit)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--svg", help="Also write a flame graph here.")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--gil", action="store_true", help="Only the thread holding the GIL: CPU, not waiting.")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    with gunicorn(args.database) as base, tempfile.TemporaryDirectory() as folder:
        run_wrk(base + args.path, duration=2, connections=args.connections)  # warm-up
        worker = psutil.Process(base.pid).children()[0].pid
        raw = os.path.join(folder, "stacks.txt")
        load = threading.Thread(target=run_wrk, args=(base + args.path,),
                                kwargs={"duration": args.seconds + 2, "connections": args.connections})
        load.start()
        subprocess.run([spy, "record", "--pid", str(worker), "--duration", str(args.seconds), "--rate", "250",
                        "--format", "raw", "--output", raw, "--nonblocking", *(["--gil"] if args.gil else [])],
                       check=True, capture_output=True)
        if args.svg:
            subprocess.run([spy, "record", "--pid", str(worker), "--duration", "3", "--rate", "250",
                            "--output", args.svg, "--nonblocking"], check=True, capture_output=True)
        load.join()
        own, inclusive = collections.Counter(), collections.Counter()
        total = 0
        with open(raw) as stacks:
            for line in stacks:
                stack, _, count = line.rstrip().rpartition(" ")
                count = int(count)
                frames = stack.split(";")
                total += count
                own[frames[-1]] += count
                for frame in set(frames):
                    if "(app/" in frame or "/app/" in frame or "templates/" in frame:
                        inclusive[frame] += count
    print(f"{args.path}: {total} samples of one worker's threads in {args.seconds} s{' (GIL holder only)' if args.gil else ''}")
    print("\nown time (where the CPU goes):")
    print("\n".join(top(own, total, args.limit)))
    print("\ntotal time, the app's own functions and templates:")
    print("\n".join(top(inclusive, total, args.limit)))


if __name__ == "__main__":
    main()
