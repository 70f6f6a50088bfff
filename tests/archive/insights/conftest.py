"""Works with dialogue to read (our own prose)."""

from __future__ import annotations

# Our own prose: two people talking, one of them named three ways.
TALK = (
    "<p>Maren Holt pushed the workshop door open.</p>"
    "<p>“You're late,” Tobias said.</p>"
    "<p>“The ferry was late,” Maren said. “Blame the sea.”</p>"
    "<p>“I always do,” he said.</p>"
    "<p>She set her bag on the bench. Tobias watched Holt unpack the charts.</p>"
)
MORE_TALK = (
    "<p>The next morning Tobias found the charts on the floor.</p>"
    "<p>“Maren!” he called.</p>"
    "<p>“Upstairs,” Maren answered.</p>"
)
