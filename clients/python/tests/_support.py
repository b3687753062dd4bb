"""Shared by the tests: the package on sys.path, the stack under test, and a tiny scripted HTTP server."""

from __future__ import annotations

import json
import os
import sys
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

try:
    import migrateclouds  # noqa: F401  (installed, or on PYTHONPATH)
except ImportError:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from migrateclouds import MigrateClouds  # noqa: E402

Answer = Tuple[int, Dict[str, str], bytes]


def envelope(data: Any) -> bytes:
    return json.dumps({"status": "success", "data": data}).encode()


def error_body(code: str, message: str, details: str = "hint") -> bytes:
    return json.dumps({"status": "error", "error": {"code": code, "message": message, "details": details}}).encode()


class ScriptedServer:
    """Answers each request with the next scripted answer (the last one repeats); records what came in."""

    def __init__(self, answers: List[Answer]) -> None:
        self.answers = list(answers)
        self.requests: List[Dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                outer.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length) if length else b"",
                    }
                )
                status, headers, body = outer.answers[min(len(outer.requests), len(outer.answers)) - 1]
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_DELETE = do_PATCH = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def client(self, sleep: Optional[Callable[[float], None]] = None, **kwargs: Any) -> MigrateClouds:
        return MigrateClouds(api_key="mc_test", base_url=self.url, sleep=sleep, **kwargs)


def stack_client() -> MigrateClouds:
    """A client of the stack named by MIGRATECLOUDS_API_URL and MIGRATECLOUDS_API_KEY.

    Without them the stack tests skip, except under CI=true, where they fail: CI must never pass
    by testing nothing.
    """
    url, key = os.environ.get("MIGRATECLOUDS_API_URL"), os.environ.get("MIGRATECLOUDS_API_KEY")
    if not url or not key:
        message = "no stack: set MIGRATECLOUDS_API_URL and MIGRATECLOUDS_API_KEY (npm start -- --demo)"
        if os.environ.get("CI") == "true":
            raise AssertionError(message)
        raise unittest.SkipTest(message)
    return MigrateClouds(api_key=key, base_url=url)


def demo_connection(client: MigrateClouds, service: str) -> str:
    """The id of the demo's connection to ``service`` (google_drive, onedrive, dropbox)."""
    for connection in client.connections.iter():
        if connection.service == service and connection.status == "active":
            return connection.id
    raise AssertionError(f"the stack has no {service} connection: start it with npm start -- --demo")
