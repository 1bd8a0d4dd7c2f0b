"""Scanned copies of sample reports: what a 街道 office uploads after printing and scanning.

    python samples/write_scan.py sample-2021            # samples/sample-2021.scan.pdf
    python samples/write_scan.py sample-2021 OUTDIR

The report's DOCX is laid out by LibreOffice as a PDF, each page is rendered at 150 dpi in grey,
turned by 0.7°, blurred lightly and sprinkled with speckles (a fixed seed, so the same PDF gives
the same scan), and the page images are wrapped as a PDF without any text layer. ``scan_pdf``
is what the tests use to make their own scans; ``mixed_pdf`` puts scanned and text pages in one
file, as offices do when a signed page is scanned into an exported report.

``styled_scan`` makes the scans archives really hold (``STYLES``): ``colour-seal`` (200 dpi
colour on tinted paper, uneven light, JPEG quality 55, a red round seal over the signature and
half a seam seal at the right edge of every page), ``web-jpeg`` (100 dpi grey, JPEG quality 40,
as scans are posted on websites) and ``photocopy`` (300 dpi bilevel, toner specks, dark
borders); the skew of each page is drawn from the seed within ±2°.

    python samples/write_scan.py sample-2021 OUTDIR colour-seal 7   # style, seed
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

DPI = 150
SKEW_DEGREES = 0.7
SPECKLES_PER_MPIXEL = 600  # dark and light dots per million pixels
SEED = 15


def render_pages(pdf: bytes, dpi: int = DPI, *, colour: bool = False) -> list:
    """Every page of ``pdf`` as a grey (or RGB) PIL image at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    mode = "RGB" if colour else "L"
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=not colour).to_pil().convert(mode) for i in range(len(doc))]
    finally:
        doc.close()


def degrade(image, *, skew: float = SKEW_DEGREES, seed: int = SEED):
    """Skew, blur and speckle one grey page image, reproducibly."""
    import numpy as np
    from PIL import Image, ImageFilter

    turned = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    blurred = turned.filter(ImageFilter.GaussianBlur(radius=0.6))
    pixels = np.array(blurred, dtype=np.uint8)
    rng = np.random.default_rng(seed)
    count = int(pixels.size / 1e6 * SPECKLES_PER_MPIXEL)
    ys = rng.integers(0, pixels.shape[0] - 1, count)
    xs = rng.integers(0, pixels.shape[1] - 1, count)
    dark = rng.random(count) < 0.7
    for y, x, d in zip(ys, xs, dark, strict=True):
        pixels[y : y + 2, x : x + 2] = rng.integers(0, 90) if d else 255
    noise = rng.normal(0, 6, pixels.shape)
    pixels = np.clip(pixels.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, mode="L")


def images_to_pdf(images: Sequence, dpi: int = DPI, *, quality: int = 75) -> bytes:
    """Page images as an image-only PDF (no text layer), one page each, at ``dpi`` (grey and
    colour pages as JPEG of ``quality``, bilevel ones as CCITT G4)."""
    out = io.BytesIO()
    first, *rest = images
    fixed = time.gmtime(1673827200)  # 2023-01-16: the same scan, the same bytes
    first.save(
        out, format="PDF", save_all=True, append_images=rest, resolution=float(dpi), creationDate=fixed, modDate=fixed,
        **({} if first.mode == "1" else {"quality": quality}),
    )
    return out.getvalue()


def scan_pdf(
    pdf: bytes, *, pages: Sequence[int] | None = None, dpi: int = DPI, skew: float = SKEW_DEGREES, seed: int = SEED
) -> bytes:
    """A scanned copy of ``pdf`` (of the pages listed, 0-based; all by default)."""
    images = render_pages(pdf, dpi)
    chosen = range(len(images)) if pages is None else pages
    return images_to_pdf([degrade(images[i], skew=skew, seed=seed + i) for i in chosen], dpi)


def mixed_pdf(pdf: bytes, scanned: set[int]) -> bytes:
    """``pdf`` with the pages in ``scanned`` (0-based) replaced by scanned images of themselves."""
    import pypdfium2 as pdfium

    images = render_pages(pdf)
    scans = {i: pdfium.PdfDocument(images_to_pdf([degrade(images[i], seed=SEED + i)])) for i in scanned}
    source = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    try:
        for i in range(len(source)):
            if i in scans:
                out.import_pages(scans[i], [0])
            else:
                out.import_pages(source, [i])
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        out.close()
        source.close()
        for doc in scans.values():
            doc.close()


def garbage_text_pdf(pdf: bytes, page: int = 0) -> bytes:
    """One page: its scanned image, under a text layer in a font without a ToUnicode map
    (a CID font, Identity-H), so the characters decode to nothing (pdfminer: ``(cid:N)``)."""
    image = degrade(render_pages(pdf)[page], seed=SEED + page)
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=85)
    width, height = image.width * 72 / DPI, image.height * 72 / DPI
    glyphs = "".join(f"{0x0100 + i:04X}" for i in range(60))
    content = (
        f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q "
        f"BT /F0 10 Tf 3 Tr 90 {height - 90:.2f} Td <{glyphs}> Tj ET"  # mode 3: invisible, as OCR'd PDFs lay it
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
        f"/Resources << /XObject << /Im0 4 0 R >> /Font << /F0 6 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} /ColorSpace /DeviceGray "
        f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg.getvalue())} >>\nstream\n".encode()
        + jpeg.getvalue()
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoUnicode /Encoding /Identity-H /DescendantFonts [7 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoUnicode "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /FontDescriptor 8 0 R >>",
        b"<< /Type /FontDescriptor /FontName /NoUnicode /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


STYLES = ("colour-seal", "web-jpeg", "photocopy")
_STYLE_DPI = {"colour-seal": 200, "web-jpeg": 100, "photocopy": 300}
_SEAL_RED = (205, 35, 40)


def styled_scan(pdf: bytes, style: str, *, seed: int = SEED, pages: Sequence[int] | None = None) -> bytes:
    """A scan of ``pdf`` in one of :data:`STYLES`, reproducible from ``seed``."""
    import numpy as np

    dpi = _STYLE_DPI[style]
    images = render_pages(pdf, dpi, colour=style == "colour-seal")
    chosen = list(range(len(images)) if pages is None else pages)
    rng = np.random.default_rng(seed)
    out = []
    for i in chosen:
        skew = float(rng.uniform(-2.0, 2.0))
        image = images[i]
        if style == "colour-seal":
            image = _colour_seal(image, dpi, rng, signature=i == len(images) - 1)
        elif style == "web-jpeg":
            image = degrade(image, skew=skew, seed=seed * 100 + i)
        else:
            image = _photocopy(image, dpi, skew, rng)
        if style == "colour-seal":
            image = _turn(image, skew)
        out.append(image)
    quality = {"colour-seal": 55, "web-jpeg": 40, "photocopy": 75}[style]
    return images_to_pdf(out, dpi, quality=quality)


def _turn(image, skew: float):
    from PIL import Image

    fill = 255 if image.mode in ("L", "1") else (255, 255, 255)
    return image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=fill)


def _colour_seal(image, dpi: int, rng, *, signature: bool):
    """Tinted paper, light falling off across the page, the seam seal and (last page) the round
    seal over the signature: red ink multiplies over the black print, as stamped ink does."""
    import numpy as np
    from PIL import Image

    page = np.asarray(image.convert("RGB"), dtype=np.float32) / 255
    h, w, _ = page.shape
    tint = np.array([rng.uniform(0.93, 0.99), rng.uniform(0.9, 0.96), rng.uniform(0.8, 0.9)], np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    light = 1 - 0.18 * np.hypot((xx - cx) / w, (yy - cy) / h)  # 0.75..1: one side of the page darker
    page = page * tint * light[..., None]
    seal = np.zeros((h, w), np.float32)
    radius = int(0.82 * dpi)  # a 42 mm round seal
    _seal(seal, (w + int(0.3 * radius), int(h * rng.uniform(0.35, 0.65))), radius, dpi)  # half a seam seal
    if signature:
        ink = np.asarray(image.convert("L")) < 128
        rows = np.flatnonzero(ink.any(axis=1))
        if rows.size:
            bottom = rows[-1]
            band = ink[max(bottom - int(0.6 * dpi), 0) : bottom + 1]
            cols = np.flatnonzero(band.any(axis=0))
            centre = (int((cols[0] + cols[-1]) / 2), int(bottom - 0.15 * dpi))
            _seal(seal, centre, radius, dpi)
    red = np.array(_SEAL_RED, np.float32) / 255
    strength = np.clip(seal * rng.uniform(0.75, 0.95), 0, 1)[..., None]
    page = page * (1 - strength + strength * red)
    noise = rng.normal(0, 0.02, page.shape).astype(np.float32)
    page = np.clip(page + noise, 0, 1)
    return Image.fromarray((page * 255).astype(np.uint8), mode="RGB")


def _seal(canvas, centre: tuple[int, int], radius: int, dpi: int) -> None:
    """A round seal's ink on ``canvas`` (0..1): the ring, a star, text along the upper rim."""
    import math

    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    size = 2 * radius + 8
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size // 2
    ring = max(int(dpi * 0.035), 3)
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    star = [
        (c + (radius * (0.32 if k % 2 == 0 else 0.13)) * math.sin(k * math.pi / 5),
         c - (radius * (0.32 if k % 2 == 0 else 0.13)) * math.cos(k * math.pi / 5))
        for k in range(10)
    ]
    draw.polygon(star, fill=255)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", int(radius * 0.28))
    except OSError:
        font = None
    words = "云岭市人民政府办公室政务公开专用章"
    for k, ch in enumerate(words):
        angle = math.radians(-120 + 240 * k / (len(words) - 1))
        x = c + radius * 0.72 * math.sin(angle)
        y = c - radius * 0.72 * math.cos(angle)
        if font is not None:
            glyph = Image.new("L", (int(radius * 0.4), int(radius * 0.4)), 0)
            ImageDraw.Draw(glyph).text((2, 0), ch, fill=255, font=font)
            glyph = glyph.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
            layer.paste(255, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
        else:
            draw.rectangle((x - 6, y - 6, x + 6, y + 6), outline=255, width=3)
    mark = np.asarray(layer, np.float32) / 255
    h, w = canvas.shape
    x0, y0 = centre[0] - c, centre[1] - c
    a, b = max(y0, 0), min(y0 + size, h)
    d, e = max(x0, 0), min(x0 + size, w)
    if a < b and d < e:
        canvas[a:b, d:e] = np.maximum(canvas[a:b, d:e], mark[a - y0 : b - y0, d - x0 : e - x0])


def _photocopy(image, dpi: int, skew: float, rng):
    """Bilevel at ``dpi``: toner specks, dark borders where the copier's lid did not cover."""
    import numpy as np
    from PIL import Image

    turned = np.asarray(_turn(image, skew), dtype=np.float32)
    h, w = turned.shape
    turned = turned + rng.normal(0, 18, turned.shape)
    count = int(turned.size / 1e6 * 300)
    for y, x in zip(rng.integers(0, h - 3, count), rng.integers(0, w - 3, count), strict=True):
        r = int(rng.integers(1, 4))
        turned[y : y + r, x : x + r] = 0
    border = [int(rng.uniform(0.05, 0.25) * dpi) for _ in range(4)]
    turned[: border[0]] = 0
    turned[h - border[1] :] = 0
    turned[:, : border[2]] = 0
    turned[:, w - border[3] :] = 0
    return Image.fromarray(np.where(turned < 140, 0, 255).astype(np.uint8), mode="L").convert("1")


def libreoffice_pdf(docx: Path) -> bytes:
    """The DOCX laid out as PDF by LibreOffice (through gongkai's own runner)."""
    sys.path.insert(0, str(HERE.parent))
    from gongkai.converters.docx.libreoffice import convert_with_libreoffice

    return convert_with_libreoffice(docx.read_bytes(), "docx", "pdf")


def write(key: str, outdir: Path = HERE, style: str | None = None, seed: int = SEED) -> Path:
    """``outdir/<key>.scan.pdf`` (``<key>.<style>.pdf``) from ``samples/<key>.docx``."""
    pdf = libreoffice_pdf(HERE / f"{key}.docx")
    if style is None:
        target = outdir / f"{key}.scan.pdf"
        target.write_bytes(scan_pdf(pdf))
    else:
        target = outdir / f"{key}.{style}.pdf"
        target.write_bytes(styled_scan(pdf, style, seed=seed))
    return target


SAMPLE_STYLED = ("sample-2021", "colour-seal", (1, 5))  # samples/sample-2021.colour-seal.scan.pdf: table 三's first page, the signed page


def write_sample_styled(outdir: Path = HERE) -> Path:
    """``samples/sample-2021.colour-seal.scan.pdf``: two pages of the colour scan with seals (small)."""
    key, style, pages = SAMPLE_STYLED
    target = outdir / f"{key}.{style}.scan.pdf"
    target.write_bytes(styled_scan(libreoffice_pdf(HERE / f"{key}.docx"), style, seed=SEED, pages=pages))
    return target


def main(argv: list[str]) -> None:
    key = argv[0] if argv else "sample-2021"
    outdir = Path(argv[1]) if len(argv) > 1 else HERE
    style = argv[2] if len(argv) > 2 else None
    print(write(key, outdir, style, int(argv[3]) if len(argv) > 3 else SEED))


if __name__ == "__main__":
    main(sys.argv[1:])
