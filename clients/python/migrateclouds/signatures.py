"""Checking a webhook request's ``MigrateClouds-Signature`` (docs/guides/webhooks.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from typing import Mapping, Optional, Union

from .errors import WebhookVerificationError
from .models import WebhookEvent

SIGNATURE_HEADER = "MigrateClouds-Signature"
DELIVERY_HEADER = "MigrateClouds-Delivery"
DEFAULT_TOLERANCE = 300

_TIMESTAMP = re.compile(r"^\d{1,12}$")
_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    # Frameworks hand headers over in any case; HTTP names are case-insensitive.
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: Union[bytes, str],
    tolerance: int = DEFAULT_TOLERANCE,
    now: Optional[float] = None,
) -> WebhookEvent:
    """Checks the signature of a delivered event and answers the event; raises ``WebhookVerificationError``.

    ``body`` must be the raw request body, byte for byte as received (not re-serialised JSON).
    The signature is ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` keyed with the
    endpoint's ``whsec_…`` secret; a timestamp more than ``tolerance`` seconds from now is refused
    (a replayed request), and any one ``v1`` matching is enough (several appear while a secret rotates).
    """
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    header = _header(headers, SIGNATURE_HEADER)
    if not header:
        raise WebhookVerificationError(f"No {SIGNATURE_HEADER} header")
    pairs = [part.strip().split("=", 1) for part in header.split(",")]
    fields = [(p[0], p[1] if len(p) > 1 else "") for p in pairs]
    timestamp = next((v for k, v in fields if k == "t"), None)
    if timestamp is None or not _TIMESTAMP.match(timestamp):
        raise WebhookVerificationError(f"{SIGNATURE_HEADER} has no valid timestamp (t=)")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        raise WebhookVerificationError(f"The signature's timestamp is more than {tolerance} seconds from now")
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + raw, hashlib.sha256)
    expected = mac.hexdigest()
    given = [v for k, v in fields if k == "v1" and _HEX_SHA256.match(v)]
    # compare_digest on every candidate, so the time taken says nothing about the secret.
    if not any([hmac.compare_digest(expected, v) for v in given]):
        raise WebhookVerificationError("The signature does not match this body and secret")
    try:
        payload = json.loads(raw)
    except ValueError as exc:
        raise WebhookVerificationError("The signed body is not JSON") from exc
    event = dict(payload, delivery_id=_header(headers, DELIVERY_HEADER))
    return WebhookEvent.from_dict(event)
