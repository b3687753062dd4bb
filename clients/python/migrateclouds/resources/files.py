from __future__ import annotations

from typing import Any, Dict, Iterator, Optional

from .._paging import iterate, page_of
from ..models import FileEntry, Page
from ._base import Resource


def _target(connection_id: Optional[str], service: Optional[str], path: str) -> Dict[str, Any]:
    # The server names whichever is wrong or missing; no second guess here.
    return {"connection_id": connection_id, "service": service, "path": path}


class FilesResource(Resource):
    """Browse a connection: pass ``connection_id``, or ``service`` when the account has one of it."""

    def list(
        self,
        path: str = "/",
        *,
        connection_id: Optional[str] = None,
        service: Optional[str] = None,
        recursive: bool = False,
        page_size: Optional[int] = None,
        page_token: Optional[str] = None,
    ) -> Page[FileEntry]:
        """One page of a folder's entries (all descendants with ``recursive``), in the service's order."""
        query = _target(connection_id, service, path)
        query.update(recursive=recursive or None, page_size=page_size, page_token=page_token)
        data = self._transport.request("GET", "/v1/files/list", query=query)
        return page_of(data, "files", FileEntry.from_dict)

    def iter(
        self,
        path: str = "/",
        *,
        connection_id: Optional[str] = None,
        service: Optional[str] = None,
        recursive: bool = False,
        page_size: Optional[int] = None,
    ) -> Iterator[FileEntry]:
        """Every entry, page after page (file listing tokens last 60 minutes)."""
        return iterate(
            lambda token: self.list(
                path,
                connection_id=connection_id,
                service=service,
                recursive=recursive,
                page_size=page_size,
                page_token=token,
            )
        )

    def metadata(
        self, path: str, *, connection_id: Optional[str] = None, service: Optional[str] = None
    ) -> FileEntry:
        """One file or folder."""
        query = _target(connection_id, service, path)
        return FileEntry.from_dict(self._transport.request("GET", "/v1/files/metadata", query=query))
