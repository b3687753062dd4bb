from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, Optional

from .._paging import iterate, page_of
from .._transport import quote_id
from ..models import Page, Webhook, WebhookDelivery
from ._base import Resource


def _path(webhook_id: str, suffix: str = "") -> str:
    return f"/v1/webhooks/{quote_id(webhook_id)}{suffix}"


class WebhooksResource(Resource):
    """Endpoints that receive signed events (an ``admin`` key manages them)."""

    def create(self, url: str, events: Iterable[str], *, description: Optional[str] = None) -> Webhook:
        """Registers an endpoint; ``.secret`` is the signing secret, shown this once."""
        body: Dict[str, Any] = {"url": url, "events": list(events)}
        if description is not None:
            body["description"] = description
        return Webhook.from_dict(self._transport.request("POST", "/v1/webhooks", body=body))

    def get(self, webhook_id: str) -> Webhook:
        return Webhook.from_dict(self._transport.request("GET", _path(webhook_id)))

    def list(self, *, page_size: Optional[int] = None, page_token: Optional[str] = None) -> Page[Webhook]:
        """One page, oldest first (never the secrets)."""
        query = {"page_size": page_size, "page_token": page_token}
        return page_of(self._transport.request("GET", "/v1/webhooks", query=query), "webhooks", Webhook.from_dict)

    def iter(self, *, page_size: Optional[int] = None) -> Iterator[Webhook]:
        return iterate(lambda token: self.list(page_size=page_size, page_token=token))

    def delete(self, webhook_id: str) -> Webhook:
        """Deletes the endpoint and its deliveries (pending ones are not sent)."""
        return Webhook.from_dict(self._transport.request("DELETE", _path(webhook_id)))

    def test(self, webhook_id: str) -> WebhookDelivery:
        """Sends a ``webhook.test`` event to this endpoint; answers its delivery."""
        return WebhookDelivery.from_dict(self._transport.request("POST", _path(webhook_id, "/test")))

    def deliveries(
        self, webhook_id: str, *, page_size: Optional[int] = None, page_token: Optional[str] = None
    ) -> Page[WebhookDelivery]:
        """One page of what was sent, newest first."""
        query = {"page_size": page_size, "page_token": page_token}
        data = self._transport.request("GET", _path(webhook_id, "/deliveries"), query=query)
        return page_of(data, "deliveries", WebhookDelivery.from_dict)

    def iter_deliveries(self, webhook_id: str, *, page_size: Optional[int] = None) -> Iterator[WebhookDelivery]:
        return iterate(lambda token: self.deliveries(webhook_id, page_size=page_size, page_token=token))

    def get_delivery(self, webhook_id: str, delivery_id: str) -> WebhookDelivery:
        """One delivery with every attempt (``attempt_log``)."""
        data = self._transport.request("GET", _path(webhook_id, f"/deliveries/{quote_id(delivery_id)}"))
        return WebhookDelivery.from_dict(data)
