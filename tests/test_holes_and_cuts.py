"""NUL bytes in a text or web page, and a Word file cut in its first members (issue 30).

* One NUL byte in the first kilobyte of a page used to make it "binary data of no known format";
  text vs binary is now decided from the head's statistics, and each run of NULs is a hole: one
  U+FFFD in the text, an ``undecodable-bytes`` loss at its byte offset, the document partial, and
  a figure whose digits it splits null with the reason (never the digits joined).
* A DOCX cut before its body part said it was an archive of several documents or no Word file at
  all; it is a truncated Word file.
"""

from __future__ import annotations

import random
import zipfile
from io import BytesIO

import pytest
from conftest import SAMPLES

import gongkai
from gongkai.canonical.model import is_partial
from gongkai.converters.sniff import sniff
from gongkai.errors import ConversionError, CorruptInput, UnsupportedFormat
from gongkai.report.compare import figure_leaves

_WHOLE: dict[str, dict] = {}


def _whole(name: str) -> dict:
    if name not in _WHOLE:
        _WHOLE[name] = figure_leaves(gongkai.convert(SAMPLES / name).report)
    return _WHOLE[name]


def _holes(doc: gongkai.Document) -> list[str]:
    return [loss.text for loss in doc.losses if loss.kind == "undecodable-bytes"]


@pytest.mark.parametrize("name", ["sample-2021.site.html", "sample-2019.site.gbk.html", "sample-2021.lo.html", "sample-2019.gbk.txt", "sample-2021.txt"])
@pytest.mark.parametrize("count", [1, 2])
def test_a_nul_or_two_anywhere_in_the_first_kilobyte_never_refuses_the_page(name: str, count: int) -> None:
    data = (SAMPLES / name).read_bytes()
    rng = random.Random(3000 + count)
    # between two characters (after an ASCII byte or a GBK trail byte): the hole splits none
    boundaries = [at for at in range(1, 1024) if data[at - 1] < 0x80]
    for at in sorted(rng.sample(boundaries, 6)):
        damaged = data[:at] + b"\x00" * count + data[at:]
        assert sniff(damaged, name) == sniff(data, name)
        doc = gongkai.convert(damaged, name=name)
        assert _holes(doc) == [f"byte {at}: {'00 ' * (count - 1)}00 -> U+FFFD"]
        assert is_partial(doc.losses)
        got = figure_leaves(doc.report)
        assert {k for k, v in _whole(name).items() if got[k] != v} <= set(doc.report.get("null_reasons", {}))


def test_a_nul_between_the_digits_of_a_figure_nulls_it() -> None:
    data = (SAMPLES / "sample-2021.site.html").read_bytes()
    at = data.index(b">37<") + 2  # the 7 of 行政强制's 37
    doc = gongkai.convert(data[:at] + b"\x00" + data[at:], name="x.html")
    key = "active_disclosure.art20_6.administrative_coercion.decisions"
    got, whole = figure_leaves(doc.report), _whole("sample-2021.site.html")
    assert whole[key] == 37 and got[key] is None
    assert doc.report["null_reasons"] == {key: "the cell holds bytes of the source that could not be decoded (U+FFFD)"}
    assert {k for k in whole if got[k] != whole[k]} == {key}


def test_a_run_of_nuls_is_one_hole_and_moves_no_figure() -> None:
    data = (SAMPLES / "sample-2019.gbk.txt").read_bytes()
    at = len(data) // 3
    doc = gongkai.convert(data[:at] + b"\x00" * 1500 + data[at:], name="x.txt")
    assert _holes(doc) == [f"byte {at}: 1500 NUL bytes -> U+FFFD"]
    got, whole = figure_leaves(doc.report), _whole("sample-2019.gbk.txt")
    assert all(got[k] in (v, None) for k, v in whole.items())


@pytest.mark.parametrize(
    "head",
    [
        random.Random(5).randbytes(4096),  # compressed or encrypted bytes
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x10" * 40,
        b"name.txt" + b"\x00" * 249 + b"ustar\x00" + "政府信息公开".encode() * 50,  # a tar of text
        b"\x00" * 5000,
    ],
    ids=["random", "png", "tar", "zeros"],
)
def test_binary_data_is_still_refused(head: bytes) -> None:
    with pytest.raises(UnsupportedFormat, match="binary data of no known format"):
        sniff(head + b"\x00", "x.html")


def _cut_points(data: bytes) -> list[int]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        infos = archive.infolist()
    body = next(i for i in infos if i.filename == "word/document.xml")
    # inside the first local header, then inside each member up to the body's end
    return [10, *(i.header_offset + 40 for i in infos if i.header_offset <= body.header_offset), body.header_offset + 200]


@pytest.mark.parametrize("name", ["sample-2021.docx", "sample-2019.docx"])
def test_a_docx_cut_before_its_body_is_complete_says_so(name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    for cut in _cut_points(data):
        with pytest.raises(CorruptInput) as caught:
            gongkai.convert(data[:cut], name=name)
        assert str(caught.value) == (
            f"truncated Word file (truncated-file): the zip ends at byte {cut} without its central directory "
            "(cut short?), before its document part word/document.xml is complete"
        )


def test_a_cut_zip_of_other_documents_is_no_word_file() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/report.txt", (SAMPLES / "sample-2021.txt").read_bytes())
        archive.writestr("b/report.txt", (SAMPLES / "sample-2019.txt").read_bytes())
    data = buffer.getvalue()
    with pytest.raises(ConversionError) as caught:
        gongkai.convert(data[: len(data) - 30], name="x.zip")
    assert "Word" not in str(caught.value)
