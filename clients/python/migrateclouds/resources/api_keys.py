from __future__ import annotations

from typing import List, Optional

from .._transport import quote_id
from ..models import ApiKey
from ._base import Resource


class ApiKeysResource(Resource):
    """Managing keys needs an ``admin`` key."""

    def list(self) -> List[ApiKey]:
        """Every key of the account (by prefix; never the keys themselves). Not paged."""
        data = self._transport.request("GET", "/v1/api-keys")
        return [ApiKey.from_dict(k) for k in data["api_keys"]]

    def create(self, name: str, *, scope: Optional[str] = None) -> ApiKey:
        """A new key; ``.key`` holds the secret, shown this once. ``scope``: read (default), write or admin."""
        body = {"name": name, "scope": scope} if scope is not None else {"name": name}
        return ApiKey.from_dict(self._transport.request("POST", "/v1/api-keys", body=body))

    def revoke(self, key_id: str) -> ApiKey:
        """Revokes a key at once; answers it with ``revoked_at`` set."""
        return ApiKey.from_dict(self._transport.request("DELETE", f"/v1/api-keys/{quote_id(key_id)}"))
