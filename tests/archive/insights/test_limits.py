"""``insights.limits``: the time limit stops runaway pure-Python work and leaves nothing behind."""

from __future__ import annotations

import time

import pytest

from fanfold.archive.insights.limits import TimeLimitExceededError, time_limit


def test_time_limit_stops_pure_python_work_on_the_main_thread() -> None:
    def spin_forever() -> None:
        with time_limit(0.05):
            while True:
                sum(range(1000))

    started = time.monotonic()
    with pytest.raises(TimeLimitExceededError):
        spin_forever()
    assert time.monotonic() - started < 5


def test_time_limit_lets_quick_work_finish_and_leaves_no_timer_behind() -> None:
    with time_limit(5):
        total = sum(range(10))
    assert total == 45
    time.sleep(0.01)  # a timer left running would fire here
