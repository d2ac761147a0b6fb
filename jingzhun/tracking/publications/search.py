"""A student's search words → the terms every matching article must contain (pure).

Chinese has no spaces: "申请补贴" should find "求职创业补贴申请流程". A chunk of Chinese is
cut into words with jieba (its dictionary ships in the wheel) and one-character words
(的, 和, 怎么 … particles) are dropped; every term must then occur in the title, summary,
body or tags (icontains, the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

import re

MAX_TERMS = 6
MAX_QUERY = 60
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STOP = {"怎么", "如何", "什么", "哪些", "可以", "需要", "我们", "一下"}


def terms(query: str) -> list[str]:
    words: list[str] = []
    for chunk in (query or "")[:MAX_QUERY].split():
        if len(_CJK.findall(chunk)) >= 3:
            words += _cut(chunk)
        else:
            words.append(chunk)
    unique = list(dict.fromkeys(w.lower() for w in words if w))
    return unique[:MAX_TERMS]


def _cut(chunk: str) -> list[str]:
    import jieba  # loaded on first use

    words = [w.strip() for w in jieba.lcut(chunk)]
    kept = [w for w in words if len(w) >= 2 and w not in _STOP]
    return kept or [chunk]
