"""factory_boy factories for archive models, built through the services.

Works are made with ``services.create_work`` so they carry what real works
carry (sanitised HTML, word counts, first chapter), never hand-set rows.
"""

from __future__ import annotations

from typing import Any

import factory

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works import services
from fanfold.archive.works.models import Rating, Series, Work

PASSWORD = "a-long-test-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"writer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


def make_work(
    *,
    owner: User,
    title: str = "A Quiet Morning",
    post: bool = True,
    chapters: int = 1,
    restricted: bool = False,
    tags: dict[TagType, list[str]] | None = None,
    body: str = "Elizabeth walked out before breakfast.\n\nThe lane was quiet.",
    **fields: Any,
) -> Work:
    work = services.create_work(
        owner=owner,
        fields=services.WorkFields(
            title=title,
            rating=fields.pop("rating", Rating.GENERAL),
            is_restricted=restricted,
            tags=tags
            or {
                TagType.WARNING: ["No Archive Warnings Apply"],
                TagType.FANDOM: ["Pride and Prejudice - Jane Austen"],
                TagType.CHARACTER: ["Elizabeth Bennet"],
            },
            **fields,
        ),
        first_chapter=services.ChapterFields(body=body, title="Morning"),
        post=post,
    )
    for number in range(2, chapters + 1):
        services.add_chapter(
            work=work,
            by=owner,
            fields=services.ChapterFields(body=f"Chapter {number} begins here, and goes on."),
            post=post,
        )
    work.refresh_from_db()
    return work


def add_works_to_series(*, owner: User, series: Series, count: int) -> None:
    """Add ``count`` two-chapter works by ``owner`` to ``series``, one fandom, a character each.

    Listing pages are timed with two of these and again with twelve.
    """
    for n in range(count):
        work = make_work(owner=owner, title=f"Work {Work.objects.count()}", chapters=2)
        services.update_work(
            work=work,
            by=owner,
            fields=services.WorkFields(
                title=work.title,
                rating=work.rating,
                tags={
                    TagType.FANDOM: ["Pride and Prejudice - Jane Austen"],
                    TagType.CHARACTER: [f"Character {n}"],
                },
            ),
            series=series,
        )
