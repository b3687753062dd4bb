"""The client: configuration, and one attribute per API resource."""

from __future__ import annotations

import os
from typing import Callable, Optional

from ._retry import RetryPolicy
from ._transport import Transport
from .models import Migration
from .resources.account import AccountResource
from .resources.api_keys import ApiKeysResource
from .resources.connections import ConnectionsResource
from .resources.files import FilesResource
from .resources.migrations import MigrationsResource
from .resources.syncs import SyncsResource
from .resources.webhooks import WebhooksResource

DEFAULT_BASE_URL = "http://localhost:3000"


class MigrateClouds:
    """A client of the MigrateClouds API.

    ``api_key`` defaults to ``MIGRATECLOUDS_API_KEY``, ``base_url`` to ``MIGRATECLOUDS_API_URL`` (else
    http://localhost:3000). A 429 is retried after its ``Retry-After`` (up to ``max_retries`` times,
    never waiting longer than ``max_retry_wait`` seconds at once); so are 502/503/504 and broken
    connections on calls that are safe to repeat (GETs, pause/resume/cancel, creates with their
    Idempotency-Key). ``max_retries=0`` turns retrying off.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
        sleep: Optional[Callable[[float], None]] = None,
    ) -> None:
        key = api_key or os.environ.get("MIGRATECLOUDS_API_KEY")
        if not key:
            raise ValueError("No API key: pass api_key=… or set MIGRATECLOUDS_API_KEY (keys start with mc_)")
        url = base_url or os.environ.get("MIGRATECLOUDS_API_URL") or DEFAULT_BASE_URL
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        retry = RetryPolicy(max_retries=max_retries, max_wait=max_retry_wait)
        extra = {} if sleep is None else {"sleep": sleep}
        self._transport = Transport(api_key=key, base_url=url, timeout=timeout, retry=retry, **extra)
        self.account = AccountResource(self._transport)
        self.api_keys = ApiKeysResource(self._transport)
        self.connections = ConnectionsResource(self._transport)
        self.files = FilesResource(self._transport)
        self.migrations = MigrationsResource(self._transport)
        self.syncs = SyncsResource(self._transport)
        self.webhooks = WebhooksResource(self._transport)

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    def wait_for_migration(
        self,
        migration_id: str,
        on_progress: Optional[Callable[[Migration], None]] = None,
        poll_interval: float = 2.0,
        timeout: Optional[float] = None,
    ) -> Migration:
        """Polls until the migration has finished; see ``MigrationsResource.wait``."""
        return self.migrations.wait(
            migration_id, on_progress=on_progress, poll_interval=poll_interval, timeout=timeout
        )

    def __repr__(self) -> str:
        return f"MigrateClouds(base_url={self.base_url!r})"
