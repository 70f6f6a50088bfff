"""The insights app, and what it hears from the works app below it."""

from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "fanfold.archive.insights"
    label = "insights"
    verbose_name = "Insights: what the reading engine found in each work"

    def ready(self) -> None:
        from fanfold.archive.insights import receivers
        from fanfold.archive.works import signals

        signals.work_text_changed.connect(
            receivers.work_text_changed, dispatch_uid="insights.work_text_changed"
        )
