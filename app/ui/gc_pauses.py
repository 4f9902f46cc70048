"""Keep Python's cyclic garbage collector from stalling the GUI thread (issue 13: one frame).

A full (generation 2) collection walks every tracked object. After start-up that is ~120,000 of
them (the window, pydantic's and Qt's type machinery, the catalog), and one pass took 150-180 ms
in ``tests/benchmarks/bench_ui.py``: whichever thread triggers it, it holds the GIL, so the GUI
thread froze mid-sale for ten frames. ``gc.freeze()`` moves the objects alive now into a
permanent generation that collections skip: they live as long as the window anyway. What the
session creates later (sales, answers, tickets) is still collected as usual.
"""

from __future__ import annotations

import gc

_done: set[str] = set()


def freeze_long_lived(milestone: str = "") -> None:
    """Exempt every object alive now from future collections (cheap: no traversal).

    Called at the milestones of start-up, once each (``milestone`` names it; "" = every call):
    the window started, the catalog loaded, Ocote first probed (httpx imported), the first sale
    done (the PDF and printing modules loaded). Garbage that happens to exist at such a moment is
    kept too: a one-off, bounded cost.
    """
    if milestone:
        if milestone in _done:
            return
        _done.add(milestone)
    gc.freeze()
