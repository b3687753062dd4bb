from __future__ import annotations

import time
import uuid
from typing import IO, Any, Callable, Dict, Iterator, Mapping, Optional

from .._paging import iterate, page_of
from .._streaming import parse_csv, parse_ndjson
from .._transport import quote_id
from ..errors import WaitTimeoutError
from ..models import Migration, MigrationItem, MigrationReport, Page
from ._base import Resource

STREAM_TYPES = {"ndjson": "application/x-ndjson", "csv": "text/csv"}


def _path(migration_id: str, suffix: str = "") -> str:
    return f"/v1/migrations/{quote_id(migration_id)}{suffix}"


def _stream_format(format: str) -> str:
    if format not in STREAM_TYPES:
        raise ValueError(f"format must be one of: {', '.join(STREAM_TYPES)} (got {format!r})")
    return format


class MigrationsResource(Resource):
    def create(
        self,
        source: Mapping[str, str],
        destination: Mapping[str, str],
        *,
        options: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
    ) -> Migration:
        """Starts copying ``source`` ({connection_id, path}) into ``destination``.

        Sent with an Idempotency-Key (a new UUID unless given), so the client's own retries after a
        broken connection cannot start a second migration; pass your own key to make retries across
        runs of your program safe too.
        """
        body: Dict[str, Any] = {"source": dict(source), "destination": dict(destination)}
        if options is not None:
            body["options"] = dict(options)
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        data = self._transport.request("POST", "/v1/migrations", body=body, headers=headers, safe_to_repeat=True)
        return Migration.from_dict(data)

    def get(self, migration_id: str) -> Migration:
        """Status and live progress."""
        return Migration.from_dict(self._transport.request("GET", _path(migration_id)))

    def list(
        self, *, status: Optional[str] = None, page_size: Optional[int] = None, page_token: Optional[str] = None
    ) -> Page[Migration]:
        """One page, newest first (statuses as last recorded; ``get`` reads live progress)."""
        query = {"status": status, "page_size": page_size, "page_token": page_token}
        return page_of(self._transport.request("GET", "/v1/migrations", query=query), "migrations", Migration.from_dict)

    def iter(self, *, status: Optional[str] = None, page_size: Optional[int] = None) -> Iterator[Migration]:
        return iterate(lambda token: self.list(status=status, page_size=page_size, page_token=token))

    def pause(self, migration_id: str) -> Migration:
        return self._control(migration_id, "pause")

    def resume(self, migration_id: str) -> Migration:
        return self._control(migration_id, "resume")

    def cancel(self, migration_id: str) -> Migration:
        return self._control(migration_id, "cancel")

    def _control(self, migration_id: str, action: str) -> Migration:
        # Repeating one changes nothing (a finished migration answers 409 either way).
        data = self._transport.request("POST", _path(migration_id, f"/{action}"), safe_to_repeat=True)
        return Migration.from_dict(data)

    def items(
        self,
        migration_id: str,
        *,
        status: Optional[str] = None,
        page_size: Optional[int] = None,
        page_token: Optional[str] = None,
    ) -> Page[MigrationItem]:
        """One page of per-file outcomes, in the order recorded; ``status``: copied, skipped, failed, deleted."""
        query = {"status": status, "page_size": page_size, "page_token": page_token}
        data = self._transport.request("GET", _path(migration_id, "/items"), query=query)
        return page_of(data, "items", MigrationItem.from_dict)

    def iter_items(
        self, migration_id: str, *, status: Optional[str] = None, page_size: Optional[int] = 1000
    ) -> Iterator[MigrationItem]:
        """Every item, page after page (one request per page: ``stream_items`` is one request in all)."""
        return iterate(lambda token: self.items(migration_id, status=status, page_size=page_size, page_token=token))

    def stream_items(
        self, migration_id: str, *, format: str = "ndjson", status: Optional[str] = None
    ) -> Iterator[MigrationItem]:
        """Every item in one streamed response, read as it arrives; the response closes when done."""
        fmt = _stream_format(format)
        response = self._open_stream(migration_id, fmt, status)
        try:
            rows = parse_ndjson(response) if fmt == "ndjson" else parse_csv(response)
            for row in rows:
                yield MigrationItem.from_dict(row)
        finally:
            response.close()

    def download_items(
        self, migration_id: str, out: IO[bytes], *, format: str = "csv", status: Optional[str] = None
    ) -> int:
        """Writes the streamed report as the server sent it (e.g. to a file opened ``"wb"``); answers its bytes."""
        response = self._open_stream(migration_id, _stream_format(format), status)
        written = 0
        with response:
            for chunk in iter(lambda: response.read(64 * 1024), b""):
                out.write(chunk)
                written += len(chunk)
        return written

    def _open_stream(self, migration_id: str, fmt: str, status: Optional[str]) -> Any:
        return self._transport.stream(
            "GET",
            _path(migration_id, "/items"),
            query={"format": fmt, "status": status},
            headers={"Accept": STREAM_TYPES[fmt]},
        )

    def report(self, migration_id: str) -> MigrationReport:
        """The summary: totals, counts by status and by reason, the largest failures."""
        return MigrationReport.from_dict(self._transport.request("GET", _path(migration_id, "/report")))

    def wait(
        self,
        migration_id: str,
        *,
        on_progress: Optional[Callable[[Migration], None]] = None,
        poll_interval: float = 2.0,
        timeout: Optional[float] = None,
    ) -> Migration:
        """Polls until the migration is finished and answers it (whatever its final status).

        ``on_progress`` gets every state polled, the final one too. After ``timeout`` seconds,
        raises ``WaitTimeoutError`` carrying the last state seen; the migration goes on.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            migration = self.get(migration_id)
            if on_progress is not None:
                on_progress(migration)
            if migration.is_finished:
                return migration
            pause = poll_interval
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WaitTimeoutError(
                        f"Migration {migration_id} is still {migration.status} after {timeout} s", migration
                    )
                pause = min(pause, left)
            time.sleep(pause)
