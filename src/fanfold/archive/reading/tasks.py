"""The reading app's background jobs, run by ``fanfold worker``.

Telling a work's subscribers of a post writes an inbox entry per subscriber
and sends email: for a popular author, thousands of rows and a mail
server's round trips, which the author who pressed "Post" must not wait
for. The post's receiver queues this job once the post commits.
"""

from __future__ import annotations

from django_tasks import task

from fanfold.archive.reading import services
from fanfold.archive.works.models import Chapter, Work


@task()
def tell_subscribers_task(work_id: int, chapter_id: int | None = None) -> int:
    """Deliver a posted work or chapter to its subscribers; how many heard (0 if it is gone)."""
    work = Work.objects.filter(pk=work_id).first()
    chapter = Chapter.objects.filter(pk=chapter_id, work_id=work_id).first() if chapter_id else None
    if work is None or (chapter_id is not None and chapter is None):
        return 0
    return services.tell_subscribers(work=work, chapter=chapter)
