"""Sample reports as web pages, the way government sites publish them.

* ``<key>.lo.html``: LibreOffice's HTML export of ``<key>.docx`` (every run a ``<font>``, Word's
  section numbering as ``<ol>``, the page header and footer as ``<div title=...>``, table 四 with
  a phantom 16th column), with one comment line in front naming the DOCX's SHA-256. It is made
  by running LibreOffice once and kept, so regenerating the samples needs LibreOffice only where
  the DOCX changed.
* ``<key>.site.html``: that export's body pasted into a CMS article page: login/register links,
  a menu, breadcrumbs, a search box, 发布日期/来源/索引号, share and print buttons, a hidden
  statistics div, scripts and a footer with 主办单位 and ICP 备案; UTF-8.
* ``<key>.site.gbk.html``: the same page in GBK with ``<meta charset="gbk">``.
* ``<key>.clean.html``: a clean semantic page written from ``reports.py`` directly: ``<h1>``-
  ``<h3>``, ``<p>``, tables with ``<thead>``, ``<th>``, ``rowspan`` and ``colspan``, and the
  article metadata of the national site standard in ``<meta name="ArticleTitle">`` and
  ``<meta name="PubDate">``.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path

from reports import Heading, Paragraph, SampleReport, TablePlaceholder, leading_header_rows, table_rows

HERE = Path(__file__).resolve().parent
_STAMP = re.compile(r"^<!-- gongkai sample: LibreOffice HTML export of (\S+) sha256=([0-9a-f]{64}) -->\n")


def write(report: SampleReport, outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    export = libreoffice_export(report, outdir)
    site = render_site(report, export.read_text("utf-8"))
    paths = [export]
    for suffix, charset in ((".site.html", "utf-8"), (".site.gbk.html", "gbk")):
        path = outdir / f"{report.key}{suffix}"
        page = site.replace('<meta charset="utf-8">', f'<meta charset="{charset}">')
        path.write_bytes(page.encode(charset, errors="xmlcharrefreplace"))
        paths.append(path)
    clean = outdir / f"{report.key}.clean.html"
    clean.write_bytes(render_clean(report).encode("utf-8"))
    paths.append(clean)
    return paths


# ---------------------------------------------------------------------------------------------
# LibreOffice export (cached)
# ---------------------------------------------------------------------------------------------


def libreoffice_export(report: SampleReport, outdir: Path) -> Path:
    """``<key>.lo.html`` in ``outdir``: the kept export where it matches the DOCX, else a new one."""
    docx = outdir / f"{report.key}.docx"
    if not docx.is_file():
        docx = HERE / f"{report.key}.docx"
    digest = hashlib.sha256(docx.read_bytes()).hexdigest()
    target = outdir / f"{report.key}.lo.html"
    for kept in (target, HERE / target.name):
        if kept.is_file():
            match = _STAMP.match(kept.read_text("utf-8"))
            if match and match.group(2) == digest:
                if kept != target:
                    shutil.copyfile(kept, target)
                return target
    exported = _run_libreoffice(docx)
    target.write_text(
        f"<!-- gongkai sample: LibreOffice HTML export of {docx.name} sha256={digest} -->\n" + exported, "utf-8"
    )
    return target


def _run_libreoffice(docx: Path) -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit(f"LibreOffice (soffice) is needed to export {docx.name} to HTML: the DOCX changed")
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "html",
            "--outdir",
            tmp,
            str(docx),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        return Path(tmp, docx.stem + ".html").read_text("utf-8")


def _body_and_style(export: str) -> tuple[str, str]:
    """The inner HTML of the export's ``<body>`` and its ``<style>`` block, verbatim."""
    body = re.search(r"<body[^>]*>(.*)</body>", export, re.S)
    style = re.search(r"<style[^>]*>(.*?)</style>", export, re.S)
    return (body.group(1) if body else export), (style.group(1) if style else "")


# ---------------------------------------------------------------------------------------------
# the CMS article page
# ---------------------------------------------------------------------------------------------


def page_date(report: SampleReport) -> str:
    """The day the site published the report: the day it was signed (so ``meta.published`` is the
    same whether it is read from the page or from the date under the report)."""
    return datetime.date.fromisoformat(report.published).isoformat()


def index_number(report: SampleReport) -> str:
    """索引号: the organ's credit code, the year and a serial, as the 信息公开目录 prints it."""
    code = zlib.crc32(report.organ.encode("utf-8"))
    serial = zlib.crc32(report.key.encode("utf-8")) % 10**5
    return f"115301{code % 100:02d}MB{code % 10**7:07d}X/{page_date(report)[:4]}-{serial:05d}"


def site_name(report: SampleReport) -> str:
    return re.split(r"(?<=[县区市])", report.organ, maxsplit=1)[0] + "人民政府"


def render_site(report: SampleReport, export: str) -> str:
    body, style = _body_and_style(export)
    site = site_name(report)
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{e(report.title)}_政府信息公开年报_{e(site)}</title>
<link rel="stylesheet" href="/static/css/site.css">
<style type="text/css">
.top-bar {{ height: 30px; background: #f5f5f5 }}
.nav li {{ float: left; padding: 0 18px }}
.article-title {{ font-size: 24px; text-align: center }}
.article-content {{ font-size: 16px; line-height: 2 }}
{style}
</style>
<script type="text/javascript">var siteId = "5301020001"; var columnName = "政府信息公开年报";</script>
</head>
<body>
<div class="top-bar">
  <div class="welcome">欢迎访问{e(site)}门户网站</div>
  <div class="login"><a href="/user/login">登录</a>| <a href="/user/register">注册</a></div>
</div>
<div class="header">
  <div class="logo"><a href="/"><img src="/static/img/logo.png" alt="{e(site)}"></a></div>
  <form class="search-box" action="/search" method="get">
    <input type="text" name="q" placeholder="请输入关键字">
    <button type="submit">搜索</button>
  </form>
</div>
<ul class="nav">
  <li><a href="/">首页</a></li>
  <li><a href="/zwgk/">政府信息公开</a></li>
  <li><a href="/zwfw/">政务服务</a></li>
  <li><a href="/hdjl/">互动交流</a></li>
  <li><a href="/zjxx/">走进{e(site[:3])}</a></li>
</ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; <a href="/zwgk/nb/">年报</a></div>
<div class="main">
  <div class="sidebar">
    <h3>政府信息公开</h3>
    <ul>
      <li><a href="/zwgk/zn/">政府信息公开指南</a></li>
      <li><a href="/zwgk/zd/">政府信息公开制度</a></li>
      <li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li>
      <li><a href="/zwgk/nb/">政府信息公开年报</a></li>
    </ul>
  </div>
  <div class="article">
    <h1 class="article-title">{e(report.title)}</h1>
    <div class="article-info">
      <span>发布日期：{page_date(report)}</span>　<span>来源：{e(report.organ)}</span>　<span>索引号：{index_number(report)}</span>　<span>点击数：<em id="hits"></em></span>
      <span class="font-size">【字体：<a href="javascript:setFont(18)">大</a> <a href="javascript:setFont(16)">中</a> <a href="javascript:setFont(14)">小</a>】</span>
    </div>
    <div class="article-content" id="zoom">{body}</div>
    <div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
    <div class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin">微信</a> <a href="#" class="bds_tsina">微博</a> <a href="#" class="bds_qzone">QQ空间</a></div>
  </div>
</div>
<div class="stat" style="display:none">访问统计：今日访问量 1024</div>
<div class="footer">
  <p>主办单位：{e(site)}办公室　承办单位：{e(site)}大数据中心</p>
  <p>网站标识码：5301020001　<a href="https://beian.miit.gov.cn/">滇ICP备05001234号-1</a>　滇公网安备 53010202000123号</p>
  <p>联系电话：0871-12345678　建议使用1920×1080分辨率浏览本站</p>
</div>
<script type="text/javascript">
document.getElementById("hits").innerHTML = "1024";
function setFont(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
</script>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------------
# the clean semantic page
# ---------------------------------------------------------------------------------------------


def render_clean(report: SampleReport) -> str:
    e = html.escape
    parts: list[str] = []
    for item in report.body:
        if isinstance(item, Heading):
            parts.append(f"<h{item.level}>{e(item.text)}</h{item.level}>")
        elif isinstance(item, Paragraph):
            parts.append(f"<p>{e(item.text)}</p>")
        elif isinstance(item, TablePlaceholder):
            parts.append(_clean_table(table_rows(report, item.kind)))
    article = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{e(report.title)}</title>
<meta name="ArticleTitle" content="{e(report.title)}">
<meta name="PubDate" content="{page_date(report)} 09:30">
</head>
<body>
<main>
<article>
{article}
</article>
</main>
</body>
</html>
"""


def _clean_table(rows: list) -> str:
    head = leading_header_rows(rows)
    lines = ["<table>"]
    for index, row in enumerate(rows):
        if index == 0 and head:
            lines.append("<thead>")
        if index == head:
            lines.append("<tbody>")
        cells = []
        for cell in row:
            tag = "th" if cell.header else "td"
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            cells.append(f"<{tag}{spans}>{html.escape(cell.text)}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
        if index == head - 1:
            lines.append("</thead>")
    lines.append("</tbody>" if len(rows) > head else "")
    lines.append("</table>")
    return "\n".join(line for line in lines if line)
