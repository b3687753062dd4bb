"""The API's resources as frozen dataclasses, field names as in the JSON (snake_case).

Every model keeps the JSON it was built from in ``raw`` (fields a newer server adds are there), and
times (``*_at``) are timezone-aware datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, Generic, Iterator, List, Optional, Tuple, TypeVar

from ._model import Model, model_of, tuple_of
from .report import MigrationReport, ReasonCount, ReportFailure, ReportTotals, StatusCount  # noqa: F401

T = TypeVar("T")

FINAL_MIGRATION_STATUSES = ("completed", "completed_with_errors", "failed", "cancelled")


def _raw() -> Any:
    """The JSON a model was built from; left out of repr and equality."""
    return field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list; pass ``next_page_token`` back as ``page_token`` (None on the last page)."""

    items: List[T]
    next_page_token: Optional[str]

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class RateLimit(Model):
    requests_per_minute: int
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Account(Model):
    id: str
    name: str
    plan: str
    rate_limit: RateLimit
    created_at: datetime
    raw: Dict[str, Any] = _raw()
    _convert = {"rate_limit": model_of(RateLimit)}


@dataclass(frozen=True)
class ApiKey(Model):
    """``key`` is set only on the answer to ``create``: the one time the secret is shown."""

    id: str
    name: str
    scope: str
    prefix: str
    created_at: datetime
    last_used_at: Optional[datetime]
    revoked_at: Optional[datetime]
    key: Optional[str] = None
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Connection(Model):
    id: str
    service: str
    name: str
    config: Dict[str, Any]
    status: str
    created_at: datetime
    updated_at: datetime
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Authorization(Model):
    """Open ``authorization_url`` in the browser that finishes the OAuth flow."""

    authorization_url: str
    state: str
    expires_at: datetime
    redirect_uri: str
    connection_id: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Checksum(Model):
    algorithm: str
    value: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class FileEntry(Model):
    id: str
    name: str
    path: str
    type: str
    mime_type: Optional[str]
    size: Optional[int]
    created_at: Optional[datetime]
    modified_at: Optional[datetime]
    checksum: Optional[Checksum]
    raw: Dict[str, Any] = _raw()
    _convert = {"checksum": model_of(Checksum)}

    @property
    def is_folder(self) -> bool:
        return self.type == "folder"


@dataclass(frozen=True)
class Endpoint(Model):
    connection_id: str
    service: str
    path: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class MigrationProgress(Model):
    files_discovered: int
    bytes_discovered: int
    folders_discovered: int
    files_copied: int
    bytes_copied: int
    files_skipped: int
    bytes_skipped: int
    files_failed: int
    files_deleted: int
    listing_complete: bool
    throughput_bytes_per_second: float
    eta_seconds: Optional[int]
    raw: Dict[str, Any] = _raw()

    @property
    def files_done(self) -> int:
        """Files decided so far: copied, skipped or failed."""
        return self.files_copied + self.files_skipped + self.files_failed


@dataclass(frozen=True)
class Migration(Model):
    id: str
    status: str
    source: Endpoint
    destination: Endpoint
    options: Dict[str, Any]
    progress: MigrationProgress
    error: Optional[str]
    sync_id: Optional[str]
    created_at: datetime
    updated_at: datetime
    started_at: Optional[datetime]
    finished_at: Optional[datetime]
    raw: Dict[str, Any] = _raw()
    _convert = {
        "source": model_of(Endpoint),
        "destination": model_of(Endpoint),
        "progress": model_of(MigrationProgress),
    }

    @property
    def is_finished(self) -> bool:
        """True once the status is final: completed, completed_with_errors, failed or cancelled."""
        return self.status in FINAL_MIGRATION_STATUSES


@dataclass(frozen=True)
class MigrationItem(Model):
    """What became of one file: ``status`` is copied, skipped, failed or deleted."""

    path: str
    source_id: Optional[str]
    destination_path: Optional[str]
    note: Optional[str]
    size: Optional[int]
    status: str
    reason: Optional[str]
    updated_at: Optional[datetime]
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class SyncRun(Model):
    migration_id: str
    status: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Sync(Model):
    id: str
    source: Endpoint
    destination: Endpoint
    options: Dict[str, Any]
    schedule: Dict[str, str]
    timezone: str
    state: str
    schedule_id: str
    next_run_at: Optional[datetime]
    last_run: Optional[SyncRun]
    created_at: datetime
    updated_at: datetime
    raw: Dict[str, Any] = _raw()
    _convert = {
        "source": model_of(Endpoint),
        "destination": model_of(Endpoint),
        "last_run": model_of(SyncRun),
    }


@dataclass(frozen=True)
class Webhook(Model):
    """``secret`` is set only on the answer to ``create``: store it, it is never shown again."""

    id: str
    url: str
    events: Tuple[str, ...]
    description: Optional[str]
    created_at: datetime
    updated_at: datetime
    secret: Optional[str] = None
    raw: Dict[str, Any] = _raw()
    _convert = {"events": tuple_of()}


@dataclass(frozen=True)
class WebhookAttempt(Model):
    attempt: int
    status_code: Optional[int]
    latency_ms: int
    error: Optional[str]
    created_at: datetime
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class WebhookDelivery(Model):
    """``attempt_log`` is filled by ``webhooks.get_delivery`` only."""

    id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: Optional[int]
    last_latency_ms: Optional[int]
    last_error: Optional[str]
    created_at: datetime
    updated_at: datetime
    last_attempt_at: Optional[datetime]
    finished_at: Optional[datetime]
    attempt_log: Tuple[WebhookAttempt, ...] = ()
    raw: Dict[str, Any] = _raw()
    _convert = {"attempt_log": tuple_of(model_of(WebhookAttempt))}


@dataclass(frozen=True)
class WebhookEvent(Model):
    """A verified webhook request: ``data`` is the event's payload, ``delivery_id`` the same on every retry."""

    id: str
    type: str
    created_at: datetime
    data: Dict[str, Any]
    delivery_id: Optional[str] = None
    raw: Dict[str, Any] = _raw()
