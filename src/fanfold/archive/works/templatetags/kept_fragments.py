"""``{% kept %}``: a part of a page rendered once for the values it depends on.

A signed-in reader's own parts of a page (``page_holes``) are rendered on
every answer, but most readers' parts look alike: the header's links
differ only by name, staff and unread count; the subscribe, "mark for
later" and bookmark boxes of a reader with no bookmark differ only by two
yes-or-no answers. A template names those values::

    {% load kept_fragments %}
    {% kept "account-nav" user.pk user.username user.is_staff inbox_unread %}
      ... the links, a form with {% csrf_token %} ...
    {% endkept %}

and the part is rendered once per distinct set of them (and per deploy:
the code stamp is in the key) into the fragment cache
(:func:`fanfold.archive.works.versions.fragment_cache`), with the CSRF
placeholder where the token goes; each answer puts in the visitor's own
token. A value the part depends on and the tag does not name would be
shown to the wrong reader: name them all (a work's ``version`` for
anything of the work).
"""

from __future__ import annotations

import hashlib

from django import template
from django.template import Context
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from fanfold.archive.works.pagecache import CODE_STAMP, CSRF_PLACEHOLDER
from fanfold.archive.works.versions import FRAGMENT_TTL, fragment_cache

register = template.Library()


class KeptNode(Node):
    def __init__(self, name: str, values: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        token = context.get("csrf_token")
        if token is None:  # no request to give a token to: nothing to put back in
            return self.nodelist.render(context)
        # str(), not repr(): a lazy value (the unread count) shows what it holds.
        values = "\x1f".join(str(value.resolve(context)) for value in self.values)
        what = f"{self.name}\x1f{values}\x1f{CODE_STAMP}"
        key = "kept:" + hashlib.sha256(what.encode()).hexdigest()[:40]
        cache = fragment_cache()
        kept = cache.get(key)
        if not isinstance(kept, str):
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                kept = str(self.nodelist.render(context))
            cache.set(key, kept, FRAGMENT_TTL)
        return mark_safe(kept.replace(CSRF_PLACEHOLDER, str(token)))  # noqa: S308 our own render


@register.tag
def kept(parser: Parser, token: Token) -> KeptNode:
    """``{% kept "name" value ... %}...{% endkept %}``: rendered once per set of values."""
    bits = token.split_contents()
    if len(bits) < 2 or not (bits[1].startswith('"') and bits[1].endswith('"')):
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted name, then values")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(bits[1].strip('"'), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
