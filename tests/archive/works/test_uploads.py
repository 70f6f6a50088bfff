"""Imports waiting for their author to confirm the preview.

``fanfold.archive.works.uploads`` promises: what was read from an upload
is kept under a token and given back exactly as it was, with its tag
suggestions, to its author only; each author may keep at most
``MAX_PENDING_PER_AUTHOR`` uploads of at most
``MAX_PENDING_BYTES_PER_AUTHOR`` together, and is told why when refused;
nothing waits longer than ``KEEP_FOR``: a stale upload cannot be loaded,
does not count against the quota, and goes with the next upload or
``expire_uploads``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.works.models import PendingUpload
from fanfold.archive.works.uploads import (
    KEEP_FOR,
    MAX_PENDING_BYTES_PER_AUTHOR,
    MAX_PENDING_PER_AUTHOR,
    UploadNotFoundError,
    UploadQuotaError,
    check_quota,
    discard_upload,
    expire_uploads,
    load_upload,
    store_upload,
    waiting_uploads,
)
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef


def parsed_work(title: str = "Letters from Kent") -> ParsedWork:
    return ParsedWork(
        title=title,
        fandoms=("Pride and Prejudice - Jane Austen",),
        series=(SeriesRef("Kent Letters", 2),),
        published=date(2021, 3, 1),
        chapters=(
            ParsedChapter(title="One", notes="<p>Hi!</p>", body="<p>Dear Jane, the rectory.</p>"),
            ParsedChapter(title="Two", body="<p>Dear Jane, a morning.</p>"),
        ),
    )


def age(token: str, by: timedelta) -> None:
    PendingUpload.objects.filter(token=token).update(created_at=timezone.now() - by)


def test_what_was_read_comes_back_exactly_with_its_suggestions(author: User) -> None:
    parsed = parsed_work()
    token = store_upload(
        owner_id=author.pk,
        parsed=parsed,
        characters=("Elizabeth Bennet", "Jane Bennet"),
        relationships=("Elizabeth Bennet & Jane Bennet",),
        counts={"Elizabeth Bennet": 40, "Jane Bennet": 12, "Elizabeth Bennet & Jane Bennet": 9},
    )
    waiting = load_upload(owner_id=author.pk, token=token)
    assert waiting.parsed == parsed
    assert waiting.characters == ("Elizabeth Bennet", "Jane Bennet")
    assert waiting.relationships == ("Elizabeth Bennet & Jane Bennet",)
    assert waiting.counts["Elizabeth Bennet & Jane Bennet"] == 9


def test_a_stored_upload_keeps_its_title_and_counts_its_size(author: User) -> None:
    token = store_upload(owner_id=author.pk, parsed=parsed_work("A" * 300))
    upload = PendingUpload.objects.get(token=token)
    assert upload.title == "A" * 255
    assert upload.size == len(upload.parsed.encode()) > 300


def test_each_upload_gets_its_own_token(author: User) -> None:
    tokens = {store_upload(owner_id=author.pk, parsed=parsed_work()) for _ in range(3)}
    assert len(tokens) == 3


def test_another_authors_upload_cannot_be_loaded(author: User, reader: User) -> None:
    token = store_upload(owner_id=author.pk, parsed=parsed_work())
    with pytest.raises(UploadNotFoundError):
        load_upload(owner_id=reader.pk, token=token)


def test_a_made_up_token_cannot_be_loaded(author: User) -> None:
    with pytest.raises(UploadNotFoundError):
        load_upload(owner_id=author.pk, token="made-up")


def test_an_upload_left_for_more_than_a_day_is_gone(author: User) -> None:
    token = store_upload(owner_id=author.pk, parsed=parsed_work())
    age(token, KEEP_FOR + timedelta(hours=1))
    with pytest.raises(UploadNotFoundError):
        load_upload(owner_id=author.pk, token=token)
    assert waiting_uploads(owner_id=author.pk) == []
    store_upload(owner_id=author.pk, parsed=parsed_work())  # a new upload clears the stale one
    assert not PendingUpload.objects.filter(token=token).exists()
    assert PendingUpload.objects.count() == 1


def test_an_upload_younger_than_a_day_still_waits(author: User) -> None:
    token = store_upload(owner_id=author.pk, parsed=parsed_work())
    age(token, KEEP_FOR - timedelta(minutes=5))
    assert expire_uploads() == 0
    assert load_upload(owner_id=author.pk, token=token).parsed.title == "Letters from Kent"


def test_expiring_removes_only_stale_uploads_and_says_how_many(author: User, reader: User) -> None:
    stale = [store_upload(owner_id=owner.pk, parsed=parsed_work()) for owner in (author, reader)]
    fresh = store_upload(owner_id=author.pk, parsed=parsed_work())
    for token in stale:
        age(token, timedelta(days=2))
    assert expire_uploads() == 2
    assert list(PendingUpload.objects.values_list("token", flat=True)) == [fresh]


def test_an_author_may_keep_only_so_many_uploads_waiting(author: User, reader: User) -> None:
    for _ in range(MAX_PENDING_PER_AUTHOR):
        store_upload(owner_id=author.pk, parsed=parsed_work())
    with pytest.raises(UploadQuotaError, match=f"You have {MAX_PENDING_PER_AUTHOR} imports"):
        store_upload(owner_id=author.pk, parsed=parsed_work())
    assert PendingUpload.objects.filter(owner=author).count() == MAX_PENDING_PER_AUTHOR
    store_upload(owner_id=reader.pk, parsed=parsed_work())  # the quota is each author's own


def test_stale_uploads_do_not_count_against_the_quota(author: User) -> None:
    tokens = [store_upload(owner_id=author.pk, parsed=parsed_work()) for _ in range(5)]
    age(tokens[0], timedelta(days=2))
    check_quota(owner_id=author.pk)  # four wait: room for one more


def test_an_author_may_keep_only_so_many_bytes_waiting(author: User) -> None:
    PendingUpload.objects.create(
        owner=author, token="big", parsed="{}", size=MAX_PENDING_BYTES_PER_AUTHOR - 10
    )
    check_quota(owner_id=author.pk, adding=10)  # exactly at the limit is allowed
    with pytest.raises(UploadQuotaError, match=r"at most 50\.0\sMB may wait"):
        store_upload(owner_id=author.pk, parsed=parsed_work())
    assert PendingUpload.objects.count() == 1


def test_waiting_uploads_are_the_authors_own_newest_first(author: User, reader: User) -> None:
    older = store_upload(owner_id=author.pk, parsed=parsed_work("Older"))
    newer = store_upload(owner_id=author.pk, parsed=parsed_work("Newer"))
    store_upload(owner_id=reader.pk, parsed=parsed_work("Not theirs"))
    age(older, timedelta(hours=2))
    age(newer, timedelta(hours=1))
    assert [u.title for u in waiting_uploads(owner_id=author.pk)] == ["Newer", "Older"]


def test_an_author_discards_their_own_upload_only(author: User, reader: User) -> None:
    token = store_upload(owner_id=author.pk, parsed=parsed_work())
    discard_upload(owner_id=reader.pk, token=token)
    assert load_upload(owner_id=author.pk, token=token).parsed.title == "Letters from Kent"
    discard_upload(owner_id=author.pk, token=token)
    with pytest.raises(UploadNotFoundError):
        load_upload(owner_id=author.pk, token=token)
