from __future__ import annotations

import uuid
from typing import Any, Dict, Iterator, Mapping, Optional

from .._paging import iterate, page_of
from .._transport import quote_id
from ..models import Migration, Page, Sync
from ._base import Resource


def _path(sync_id: str, suffix: str = "") -> str:
    return f"/v1/syncs/{quote_id(sync_id)}{suffix}"


class SyncsResource(Resource):
    """Recurring syncs: a migration's source, destination and options, run on a schedule."""

    def create(
        self,
        source: Mapping[str, str],
        destination: Mapping[str, str],
        schedule: Mapping[str, str],
        *,
        options: Optional[Mapping[str, Any]] = None,
        timezone: Optional[str] = None,
        paused: Optional[bool] = None,
        idempotency_key: Optional[str] = None,
    ) -> Sync:
        """``schedule`` is ``{"cron": "0 * * * *"}`` or ``{"interval": "15m"}``; sent with an Idempotency-Key."""
        body: Dict[str, Any] = {"source": dict(source), "destination": dict(destination), "schedule": dict(schedule)}
        for key, value in (("options", options), ("timezone", timezone), ("paused", paused)):
            if value is not None:
                body[key] = dict(value) if isinstance(value, Mapping) else value
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        data = self._transport.request("POST", "/v1/syncs", body=body, headers=headers, safe_to_repeat=True)
        return Sync.from_dict(data)

    def get(self, sync_id: str) -> Sync:
        return Sync.from_dict(self._transport.request("GET", _path(sync_id)))

    def list(self, *, page_size: Optional[int] = None, page_token: Optional[str] = None) -> Page[Sync]:
        """One page, newest first."""
        query = {"page_size": page_size, "page_token": page_token}
        return page_of(self._transport.request("GET", "/v1/syncs", query=query), "syncs", Sync.from_dict)

    def iter(self, *, page_size: Optional[int] = None) -> Iterator[Sync]:
        return iterate(lambda token: self.list(page_size=page_size, page_token=token))

    def update(
        self,
        sync_id: str,
        *,
        schedule: Optional[Mapping[str, str]] = None,
        timezone: Optional[str] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> Sync:
        """Changes what is given; options not named keep their values."""
        body: Dict[str, Any] = {}
        for key, value in (("schedule", schedule), ("timezone", timezone), ("options", options)):
            if value is not None:
                body[key] = dict(value) if isinstance(value, Mapping) else value
        return Sync.from_dict(self._transport.request("PATCH", _path(sync_id), body=body))

    def delete(self, sync_id: str) -> Sync:
        return Sync.from_dict(self._transport.request("DELETE", _path(sync_id)))

    def pause(self, sync_id: str) -> Sync:
        return Sync.from_dict(self._transport.request("POST", _path(sync_id, "/pause"), safe_to_repeat=True))

    def resume(self, sync_id: str) -> Sync:
        return Sync.from_dict(self._transport.request("POST", _path(sync_id, "/resume"), safe_to_repeat=True))

    def trigger(self, sync_id: str) -> Sync:
        """Starts a run now; ``ConflictError`` while one is in progress."""
        return Sync.from_dict(self._transport.request("POST", _path(sync_id, "/trigger")))

    def runs(
        self, sync_id: str, *, page_size: Optional[int] = None, page_token: Optional[str] = None
    ) -> Page[Migration]:
        """The migrations the sync started, newest first."""
        query = {"page_size": page_size, "page_token": page_token}
        data = self._transport.request("GET", _path(sync_id, "/runs"), query=query)
        return page_of(data, "migrations", Migration.from_dict)

    def iter_runs(self, sync_id: str, *, page_size: Optional[int] = None) -> Iterator[Migration]:
        return iterate(lambda token: self.runs(sync_id, page_size=page_size, page_token=token))
