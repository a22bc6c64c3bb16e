"""A value built once for each distinct key, in a cache of bounded size.

The compiled program keeps what depends only on a record's reasons (a
pattern's criteria, a dry-needling decision, the screens' scores), so that a
batch builds each once.  A cache that is full is emptied, so memory stays
flat however long the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
KEPT = 1024  # values kept per cache


def kept(cache: dict[K, T], key: K, build: Callable[[], T]) -> T:
    """`cache[key]`, built by `build()` the first time (the cache emptied when full)."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= KEPT:
            cache.clear()
        found = cache[key] = build()
    return found
