"""The deletion form wants a choice for the works and the person's own password."""

from __future__ import annotations

import pytest

from fanfold.archive.people.models import User
from fanfold.archive.personal_data.forms import DeleteAccountForm
from fanfold.archive.personal_data.services import WorksChoice
from tests.archive.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_right_password_and_a_choice_are_accepted(author: User) -> None:
    form = DeleteAccountForm({"works": "orphan", "password": PASSWORD}, user=author)
    assert form.is_valid()
    assert form.choice() is WorksChoice.ORPHAN


def test_a_wrong_password_or_no_choice_is_refused(author: User) -> None:
    form = DeleteAccountForm({"password": "nope"}, user=author)
    assert not form.is_valid()
    assert set(form.errors) == {"works", "password"}
