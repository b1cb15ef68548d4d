"""A small thread-safe LRU map for read caches keyed by the store generation.

`service.queries` (ordered ids of large unit listings) and `service.search`
(search results) keep their answers here; their keys start with
`service.db.generation(conn)`, so a committed write makes every old entry
unreachable and it ages out. Nothing here reads the database.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Hashable


class LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def seen(self, key: Hashable) -> bool:
        """Whether `key` was marked before; marks it now (for build-on-second-request caches)."""
        with self._lock:
            before = key in self._items
            self._items[key] = True
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return before
