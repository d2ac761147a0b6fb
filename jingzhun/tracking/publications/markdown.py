"""Article bodies: Markdown in, a safe subset of HTML out.

Two layers, because an article is written by staff but read by every student: the Markdown
parser escapes any raw HTML an author typed (`html: False`) and refuses `javascript:` links,
and the result is then cleaned against an allow-list (nh3, the Ammonia sanitiser), so that a
future parser option or plugin cannot let a script, an event handler or a style through.
Pure: no Django, so the tests need no database.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

_parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def render_markdown(text: str) -> str:
    """The HTML of `text`, safe to insert into a page as it is."""
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup (for summaries and search snippets)."""
    return nh3.clean(_parser.render(text or ""), tags=set()).strip()
