"""``insights.urls``: the characters page lives under its work; the switch has a plain path."""

from __future__ import annotations

from django.urls import resolve, reverse

from fanfold.archive.insights import views


def test_the_characters_page_is_under_the_work() -> None:
    assert reverse("insights:characters", args=[7]) == "/works/7/characters/"
    match = resolve("/works/7/characters/")
    assert (match.func, match.kwargs) == (views.characters, {"work_id": 7})


def test_the_colouring_switch_has_a_plain_path() -> None:
    assert resolve(reverse("insights:colour_dialogue")).func == views.colour_dialogue
