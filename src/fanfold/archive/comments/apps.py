from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "fanfold.archive.comments"
    label = "comments"
    verbose_name = "Readers' side: comments"

    def ready(self) -> None:
        # A deleted chapter takes its comments with it (the database cascade);
        # the work's comment counter is recounted as it goes, as the works app
        # below this one cannot know about comments.
        from django.db.models.signals import pre_delete

        from fanfold.archive.comments import services
        from fanfold.archive.works.models import Chapter

        pre_delete.connect(services.recount_before_chapter_delete, sender=Chapter)
