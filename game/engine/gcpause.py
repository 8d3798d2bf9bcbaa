"""The garbage collector paused while a story is built (the compiler's and the loader's concern)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while a story is built; with `freeze`, then freeze it.

    Loading creates millions of small objects and no garbage cycles worth finding; each automatic
    collection walks everything allocated so far, which makes loading grow faster than linearly
    (a 10,000-scene story loaded three times slower with the collector running). Frozen, the
    story is never walked again: otherwise the first collections after loading walk all of it
    (about half a second on the first step of a 10,000-scene story) and later ones keep
    revisiting it. The story is still freed by reference counting; it must hold no reference
    cycles, which is why its machine refers back to it weakly.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
