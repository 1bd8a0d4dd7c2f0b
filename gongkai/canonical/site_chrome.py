"""Lines a government website prints around an article: 发布日期, 来源, 索引号, login links,
breadcrumbs, font-size and print buttons, footers.

Scraped text (the text front end) and web pages (the HTML front end) carry the same lines, so
both recognise them from this one list; the HTML front end also reads the metadata they hold.
"""

from __future__ import annotations

import re

# lines the site prints (also found inside the article element, above or below the report)
META_KEYS: tuple[tuple[str, str | None], ...] = (
    ("发布日期", "published"),
    ("发布时间", "published"),
    ("信息来源", "source_organ"),
    ("发布机构", "source_organ"),
    ("来源", "source_organ"),
    ("索引号", "index_number"),
    ("发文字号", "document_number"),
    ("文号", "document_number"),
    ("点击数", None),
    ("点击量", None),
    ("浏览次数", None),
    ("阅读次数", None),
    ("访问量", None),
    ("作者", None),
    ("编辑", None),
    ("字号", None),
    ("分类", None),
    ("主题分类", None),
    ("生成日期", None),
    ("成文日期", None),
    ("公开方式", None),
    ("公开范围", None),
    ("有效性", None),
)
META_KEY_RE = re.compile("(" + "|".join(sorted((k for k, _ in META_KEYS), key=len, reverse=True)) + r")\s*[:：]")
META_LINE_RE = re.compile(r"^【?(?:" + "|".join(k for k, _ in META_KEYS) + r")\s*[:：]")
CHROME_LINE_RES = (
    re.compile(r"^(?:登录|注册|登錄|註冊)(?:\s*[|｜丨/]\s*(?:登录|注册|登錄|註冊))*$"),
    re.compile(r"^【?字[号體体](?:[:：])?\s*[大中小默认\s|｜]+】?$"),
    re.compile(r"^(?:【?(?:打印本页|打印|关闭窗口|关闭|收藏|分享|返回顶部|返回)】?\s*)+$"),
    re.compile(r"^(?:当前位置|您的位置|当前的位置|您当前的位置|所在位置)\s*[:：]"),
    re.compile(r"^分享到\s*[:：]?"),
    re.compile(r"^(?:(?:主办单位|承办单位|主办|承办|协办|网站标识码|技术支持|维护单位)\s*[:：]|版权所有|联系我们$)"),
    re.compile(r"ICP备\s*\d|公网安备"),
    re.compile(r"^(?:Copyright|©|\(c\))", re.I),
)


def is_chrome_line(text: str) -> bool:
    """A line the site template prints (login, font size, print/close, breadcrumbs, meta, footer)."""
    return bool(META_LINE_RE.match(text)) or any(r.search(text) for r in CHROME_LINE_RES)
