"""URL reversal remembered: each distinct address is reversed once per process.

A page links the same addresses over and over (the header's nav, a work's
tags, the same popular fandoms on every listing); ``reverse`` walks the
URL patterns each time, about 30 µs, so a listing paid milliseconds for
it (bench.pages). ``cached_reverse`` answers from memory once an address
was made, keyed by everything ``reverse`` reads: the view name, the
arguments, the request's script prefix and URL conf, the current app.

This module is also a template library, made a builtin in settings: its
``{% url %}`` replaces Django's with the same syntax and output (escaped,
``as var`` included), reversing through ``cached_reverse``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template import Context
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

REMEMBERED = 65536  # addresses (~100 bytes each)


def _plain(values: tuple[Any, ...]) -> bool:
    """Only strings and numbers key the memory; anything else (a model, a lazy string)
    is reversed every time, as Django would."""
    return all(isinstance(value, (str, int)) and not isinstance(value, bool) for value in values)


def cached_reverse(
    viewname: str,
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)``, remembered.

    >>> cached_reverse("works:work", (7,))
    '/works/7/'
    >>> cached_reverse("search:tag", ("freeform", "Angst/Fluff")) == reverse(
    ...     "search:tag", args=["freeform", "Angst/Fluff"]
    ... )
    True
    """
    items = tuple(sorted((kwargs or {}).items()))
    if not (_plain(args) and _plain(tuple(value for _, value in items))):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    plain_args = tuple(str(value) for value in args)
    plain_items = tuple((key, str(value)) for key, value in items)
    urlconf = get_urlconf()
    return _remembered(get_script_prefix(), urlconf, viewname, plain_args, plain_items, current_app)


@lru_cache(maxsize=REMEMBERED)
def _remembered(
    prefix: str,
    urlconf: Any,
    viewname: str,
    args: tuple[str, ...],
    items: tuple[tuple[str, str], ...],
    current_app: str | None,
) -> str:
    """Keyed by the script prefix and URL conf too: reverse() reads both from the request."""
    return reverse(
        viewname, urlconf=urlconf, args=args, kwargs=dict(items) or None, current_app=current_app
    )


class RememberedURLNode(URLNode):
    """Django's ``{% url %}`` node, reversing through ``cached_reverse``."""

    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:  # as Django's URLNode finds it
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """``{% url 'name' arg ... [as var] %}``, as Django's, remembered."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
