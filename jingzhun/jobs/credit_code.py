"""The unified social credit code (统一社会信用代码, GB 32100-2015) and employer names.

Pure: no Django. A code is 18 characters from a 31-character set (digits and capitals without
I, O, S, V, Z): the registering authority (1), the kind of organisation (1), the region code
of GB/T 2260 (6), the organisation code (9) and a check character computed over the first 17
with the standard's weights, modulo 31.
"""

from __future__ import annotations

import re
import unicodedata

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {c: i for i, c in enumerate(CHARSET)}
_SHAPE = re.compile(rf"^[{CHARSET}]{{18}}$")


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015 §5: 31 − Σ(value × weight) mod 31)."""
    total = sum(_VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    """Full-width forms folded, spaces removed, upper case (what a valid code is compared as)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value)).upper()


def credit_code_problem(code: str) -> str | None:
    """None for a valid code, else the reason in Chinese (the code as normalised)."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，“{code}”为 {len(code)} 位"
    if not _SHAPE.match(code):
        return f"统一社会信用代码“{code}”含有不允许的字符（不使用 I、O、S、V、Z）"
    if check_character(code[:17]) != code[17]:
        return f"统一社会信用代码“{code}”校验位错误"
    return None


# Legal-form endings that name one company several ways; the longest first.
_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司")
_NOISE = re.compile(r"[\s·.,，、'\"“”‘’]")


def normalise_employer_name(name: str) -> str:
    """The key two spellings of one employer share: `腾讯科技（深圳） 有限责任公司` and
    `腾讯科技(深圳)有限公司` → `腾讯科技(深圳)`. Width folded, spaces and punctuation dropped,
    brackets made half-width, the legal form (有限公司, 有限责任公司, 股份有限公司) removed."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    text = _NOISE.sub("", text)
    for suffix in _LEGAL_FORMS:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text.removesuffix(suffix)
            break
    return text
