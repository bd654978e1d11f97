"""What one cached public answer costs in Python, called in-process.

Run: ``.venv/bin/python bench/fastpath.py [--calls 20000] [--runs 7]``

Loads the Antwerp demo into a throwaway SQLite database, then calls the WSGI
application (``watwerkt.wsgi.application``: the fast path in front of Django)
the way a server does, for the overview, a service page and summary.json,
plain, gzip and 304, and prints microseconds per answer:

- *answer table*: the request repeats an earlier one byte for byte
  (``watwerkt.webcache.answers``);
- *page store*: the answer worked out from the stored page (the table is
  emptied before every call);
- *bare*: a WSGI application that returns stored bytes and does nothing else,
  the floor of any answer in Python.

A server adds its own work per request (granian: tens of microseconds); under
load the time a request holds the interpreter lock is also time the worker's
other threads wait. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from overview import setup as database

PAGES = {
    "overview": "/antwerpen/",
    "service": "/antwerpen/reispas/",
    "summary.json": "/antwerpen/api/v2/summary.json",
}


def setup(directory: Path) -> None:
    """bench/overview.py's throwaway database, with the Antwerp demo in it."""
    from django.core.management import call_command

    database(directory)
    call_command("demo", stdout=io.StringIO())


def environ(path: str, **headers: str) -> dict[str, Any]:
    """An environ like granian's for a GET of ``path``."""
    env: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    env.update(headers)
    return env


def per_call(call: Callable[[], Any], calls: int, runs: int) -> float:
    """Median microseconds per call over ``runs`` runs of ``calls`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        times.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watwerkt-bench-") as tmp:
        setup(Path(tmp))
        from watwerkt.webcache.fastpath import FastPath
        from watwerkt.wsgi import application

        if not isinstance(application, FastPath):
            sys.exit("the page cache is off (WATWERKT_PAGE_CACHE_MB=0): nothing to measure")
        measure(application, args.calls, args.runs)


def captured(app: Any, env: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and body of one answer."""
    got: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        got[:] = [status, headers]

    body = b"".join(app(env, start_response))
    return got[0], got[1], body


def measure(app: Any, calls: int, runs: int) -> None:
    def ignore(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        return None

    print(f"{calls:,} calls per run, median of {runs} runs; microseconds per answer")
    print(f"{'page':<13} {'body':<6} {'answer table':>13} {'page store':>11} {'bare':>6}")
    for name, path in PAGES.items():
        _, first, _ = captured(app, environ(path))
        tag = next(v for k, v in first if k.lower() == "etag")
        for body in ("plain", "gzip", "304"):
            headers = {"HTTP_ACCEPT_ENCODING": "gzip"} if body == "gzip" else {}
            if body == "304":
                headers = {"HTTP_IF_NONE_MATCH": tag}
            env = environ(path, **headers)
            for _ in range(3):  # rendered, stored, then in the answer table
                captured(app, environ(path, **headers))
            status, stored, data = captured(app, environ(path, **headers))

            def repeated(env: dict[str, Any] = env) -> Any:
                return app(env, ignore)

            def from_store(env: dict[str, Any] = env) -> Any:
                app.answers._table.clear()
                return app(env, ignore)

            def bare(status: str = status, stored: list[Any] = stored, data: bytes = data) -> Any:
                ignore(status, list(stored))
                return [data] if data else []

            renders = app.stats.renders
            figures = [per_call(call, calls, runs) for call in (repeated, from_store, bare)]
            if app.stats.renders != renders:
                sys.exit(f"{path} was rendered again while measuring: the figures would be wrong")
            print(f"{name:<13} {body:<6} {figures[0]:13.2f} {figures[1]:11.2f} {figures[2]:6.2f}")


if __name__ == "__main__":
    main()
