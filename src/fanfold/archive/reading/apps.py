from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "fanfold.archive.reading"
    label = "reading"
    verbose_name = "Readers' side: kudos, subscriptions, history, hits"

    def ready(self) -> None:
        # The works app below tells this one of posts and page views by signals;
        # importing receivers also connects its post_delete counters.
        from fanfold.archive.reading import receivers
        from fanfold.archive.works import signals

        signals.work_posted.connect(receivers.work_posted, dispatch_uid="reading.work_posted")
        signals.chapter_posted.connect(
            receivers.chapter_posted, dispatch_uid="reading.chapter_posted"
        )
        signals.work_viewed.connect(receivers.work_viewed, dispatch_uid="reading.work_viewed")
