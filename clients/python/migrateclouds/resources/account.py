from __future__ import annotations

from ..models import Account
from ._base import Resource


class AccountResource(Resource):
    def get(self) -> Account:
        """The caller's account: id, name, plan and its rate limit."""
        return Account.from_dict(self._transport.request("GET", "/v1/account"))
