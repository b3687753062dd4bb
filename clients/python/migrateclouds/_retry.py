"""When to retry a request, and how long to wait first."""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from typing import Optional

# Transient answers worth another try on a request that is safe to repeat.
TRANSIENT_STATUSES = frozenset({502, 503, 504})


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date; None if absent or bad."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """``max_retries`` tries after the first; never a single wait longer than ``max_wait`` seconds."""

    max_retries: int = 3
    max_wait: float = 60.0
    # Without Retry-After (a 502/503 or a broken connection): 0.5 s, 1 s, 2 s, … up to max_wait.
    base_backoff: float = 0.5

    def wait_for(self, attempt: int, retry_after: Optional[float]) -> Optional[float]:
        """Seconds to wait before retry number ``attempt`` (1-based), or None when it should not happen."""
        if attempt > self.max_retries:
            return None
        if retry_after is not None:
            # A server asking for longer than we may wait is answered with the error, not a shorter wait.
            return retry_after if retry_after <= self.max_wait else None
        return min(self.max_wait, self.base_backoff * (2 ** (attempt - 1)))
