"""Works with dialogue to read, our own prose: a short talk, and a work the engine has read
(three speakers across two posted chapters)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from fanfold.archive.insights.services import analyse_work
from fanfold.archive.people.models import User
from fanfold.archive.works import services
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work

FIRST = (
    "<p>Mara Quill opened the door of the lighthouse. “You’re late,” Mara said.</p>\n"
    "<p>“The <em>ferry</em> was late,” Tobin Reyes said. “Not me.”</p>\n"
    "<p>Mara laughed. “Sure it was,” she said to Tobin.</p>\n"
    "<p>“Ask Ilse,” Tobin said.</p>"
)
SECOND = (
    "<p>Ilse Varga found them on the pier at noon.</p>\n"
    "<p>“You two again,” Ilse said.</p>\n"
    "<p>“Us two,” Mara said.</p>\n"
    "<p>“Always,” said Tobin.</p>"
)
SECRET = (
    "<p>Casimir Holt waited in the boathouse. “Nobody comes here,” Casimir said.</p>\n"
    "<p>“Someone does,” Ilse said to Casimir.</p>"
)

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

EXTRA_NAMES = [
    "Oskar Lind", "Pella Rune", "Quentin Marsh", "Rosalind Teague", "Silas Penn", "Tamsin Hale",
    "Ulric Dane", "Vera Colm", "Wendell Crane", "Xanthe Bell", "Yorick Vane", "Zora Finch",
]  # fmt: skip


@pytest.fixture(autouse=True)
def no_colours_left_over() -> None:
    """Coloured chapters are cached; a test's work may reuse an earlier test's ids."""
    cache.clear()


def add_chapter(work: Work, body: str, *, post: bool = True, title: str = "") -> None:
    services.add_chapter(
        work=work,
        by=work.owner,
        fields=services.ChapterFields(body=body, title=title),
        post=post,
    )


def read_work(
    owner: User,
    *,
    draft_chapter: bool = False,
    extra_chapters: int = 0,
    analysed: bool = True,
    **fields: object,
) -> Work:
    """The lighthouse work, posted, read by the engine (a draft third chapter if asked)."""
    post = bool(fields.pop("post", True))
    work = make_work(owner=owner, title="The Lighthouse", body=FIRST, post=post, **fields)
    add_chapter(work, SECOND, post=post, title="The Pier")
    for name in EXTRA_NAMES[:extra_chapters]:
        first = name.split()[0]
        add_chapter(work, f"<p>{name} sang on the rocks. “Again,” {first} said.</p>", post=post)
    if draft_chapter:
        add_chapter(work, SECRET, post=False, title="Boathouse")
    if analysed:
        analyse_work(work_id=work.pk)
    work.refresh_from_db()
    return work
