from __future__ import annotations

from typing import Any, Dict, Iterator, Mapping, Optional

from .._paging import iterate, page_of
from .._transport import quote_id
from ..models import Authorization, Connection, Page
from ._base import Resource


class ConnectionsResource(Resource):
    def create(
        self,
        service: str,
        *,
        name: Optional[str] = None,
        refresh_token: Optional[str] = None,
        config: Optional[Mapping[str, Any]] = None,
    ) -> Connection:
        """Connects a service: ``config={"root": …}`` for ``local``, ``refresh_token`` for a cloud service."""
        body: Dict[str, Any] = {"service": service}
        for key, value in (("name", name), ("refresh_token", refresh_token), ("config", config)):
            if value is not None:
                body[key] = dict(value) if isinstance(value, Mapping) else value
        return Connection.from_dict(self._transport.request("POST", "/v1/connections", body=body))

    def authorize(
        self, service: str, *, name: Optional[str] = None, connection_id: Optional[str] = None
    ) -> Authorization:
        """Starts the OAuth flow; open ``authorization_url`` in a browser. ``connection_id`` re-authorizes one."""
        query = {"name": name, "connection_id": connection_id}
        data = self._transport.request(
            "GET", f"/v1/connections/oauth/{quote_id(service)}/authorize", query=query
        )
        return Authorization.from_dict(data)

    def list(self, *, page_size: Optional[int] = None, page_token: Optional[str] = None) -> Page[Connection]:
        """One page, oldest first."""
        query = {"page_size": page_size, "page_token": page_token}
        data = self._transport.request("GET", "/v1/connections", query=query)
        return page_of(data, "connections", Connection.from_dict)

    def iter(self, *, page_size: Optional[int] = None) -> Iterator[Connection]:
        """Every connection, page after page."""
        return iterate(lambda token: self.list(page_size=page_size, page_token=token))

    def get(self, connection_id: str) -> Connection:
        return Connection.from_dict(self._transport.request("GET", f"/v1/connections/{quote_id(connection_id)}"))

    def delete(self, connection_id: str) -> Connection:
        path = f"/v1/connections/{quote_id(connection_id)}"
        return Connection.from_dict(self._transport.request("DELETE", path))
