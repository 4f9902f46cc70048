"""A task submitted after the runner shut down (Qt tearing widgets down) is dropped, not raised."""

from __future__ import annotations

from app.workers.tasks import TaskRunner


def test_a_task_after_shutdown_is_dropped_and_never_runs(qtbot):
    runner = TaskRunner()
    runner.shutdown()
    ran = []
    future = runner.submit("reader", ran.append, 1, on_done=ran.append)
    assert future.cancelled()
    assert ran == []
