"""HTTP over urllib: auth, JSON envelopes, typed errors, and bounded wait-and-retry."""

from __future__ import annotations

import http.client
import json
import platform
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Mapping, Optional

from ._retry import TRANSIENT_STATUSES, RetryPolicy, parse_retry_after
from ._version import __version__
from .errors import APIConnectionError, MigrateCloudsError, error_from_response

Query = Mapping[str, Any]

USER_AGENT = f"migrateclouds-python/{__version__} Python/{platform.python_version()}"


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def quote_id(value: str) -> str:
    """An id as one path segment (nothing in it can reach another route)."""
    return urllib.parse.quote(str(value), safe="")


class Transport:
    """One configured way to call the API; every resource goes through ``request`` or ``stream``."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout: float,
        retry: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry
        self._api_key = api_key
        self._sleep = sleep
        self._opener = urllib.request.build_opener()

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Query] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        safe_to_repeat: Optional[bool] = None,
    ) -> Any:
        """Sends one call and answers the envelope's ``data``; raises the envelope's error as its exception."""
        response = self._send(method, path, query, body, headers, safe_to_repeat)
        with response:
            raw = response.read()
        try:
            envelope = json.loads(raw)
        except ValueError as exc:
            raise MigrateCloudsError(
                f"The answer to {method} {path} is not JSON",
                status=response.status,
                request_id=response.headers.get("x-request-id"),
            ) from exc
        return envelope.get("data") if isinstance(envelope, dict) else envelope

    def stream(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Query] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> http.client.HTTPResponse:
        """Opens a 2xx answer for reading as it arrives; the caller closes it."""
        return self._send(method, path, query, None, headers, True)

    def _send(
        self,
        method: str,
        path: str,
        query: Optional[Query],
        body: Any,
        headers: Optional[Mapping[str, str]],
        safe_to_repeat: Optional[bool],
    ) -> http.client.HTTPResponse:
        method = method.upper()
        if safe_to_repeat is None:
            safe_to_repeat = method in ("GET", "HEAD")
        url = self.base_url + path
        if query:
            pairs = [(k, _query_value(v)) for k, v in query.items() if v is not None]
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        all_headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})

        # A POST's 502 may mean it was refused for good (a migration Temporal would not start): not retried.
        transient = TRANSIENT_STATUSES if method in ("GET", "HEAD") else TRANSIENT_STATUSES - {502}
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
            retry_after: Optional[float] = None
            try:
                return self._opener.open(request, timeout=self.timeout)  # type: ignore[no-any-return]
            except urllib.error.HTTPError as exc:
                error = _http_error(exc)
                retry_after = parse_retry_after(error.headers.get("retry-after"))
                # A 429 was refused before any work: always safe to send again.
                retryable = exc.code == 429 or (safe_to_repeat and exc.code in transient)
            except (OSError, http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", None) or exc
                error = APIConnectionError(f"Could not reach {self.base_url}: {reason}", code="connection_error")
                error.__cause__ = exc
                retryable = bool(safe_to_repeat)
            attempt += 1
            wait = self.retry.wait_for(attempt, retry_after) if retryable else None
            if wait is None:
                raise error
            self._sleep(wait)


def _http_error(exc: urllib.error.HTTPError) -> MigrateCloudsError:
    headers: Dict[str, str] = {k.lower(): v for k, v in exc.headers.items()}
    try:
        raw = exc.read()
    except (OSError, http.client.HTTPException):
        raw = b""
    finally:
        exc.close()
    try:
        envelope = json.loads(raw)
    except ValueError:
        envelope = None
    return error_from_response(exc.code, envelope, headers)
