"""gunicorn settings for production: `gunicorn wsgi:app` picks this file up.

Threads suit this app: requests mostly wait on PostgreSQL. Size with the environment:
WEB_CONCURRENCY processes (default 2, one per core) of GUNICORN_THREADS threads each.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound (0: never).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The workers' heartbeat files in memory, not on a disk that may stall (the gunicorn docs' advice).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# One JSON line per request on stdout (journald, the container log); "off" leaves it to nginx.
accesslog = None if os.environ.get("GUNICORN_ACCESSLOG", "-") == "off" else os.environ.get("GUNICORN_ACCESSLOG", "-")
access_log_format = '{"remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": %(B)s, "ms": %(M)s}'
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
