"""Pages of the API's lists, and generators that follow next_page_token to the end."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, Optional, TypeVar

from .models import Page

T = TypeVar("T")


def page_of(data: Mapping[str, Any], key: str, build: Callable[[Any], T]) -> Page[T]:
    return Page(items=[build(v) for v in data.get(key) or []], next_page_token=data.get("next_page_token"))


def iterate(fetch: Callable[[Optional[str]], Page[T]]) -> Iterator[T]:
    """Every item of every page; stops on a null token, not on a short page (pages may be short)."""
    token: Optional[str] = None
    while True:
        page = fetch(token)
        yield from page.items
        token = page.next_page_token
        if not token:
            return
