"""Scanned copies of sample reports: what a 街道 office uploads after printing and scanning.

    python samples/write_scan.py sample-2021            # samples/sample-2021.scan.pdf
    python samples/write_scan.py sample-2021 OUTDIR

The report's DOCX is laid out by LibreOffice as a PDF, each page is rendered at 150 dpi in grey,
turned by 0.7°, blurred lightly and sprinkled with speckles (a fixed seed, so the same PDF gives
the same scan), and the page images are wrapped as a PDF without any text layer. ``scan_pdf``
is what the tests use to make their own scans; ``mixed_pdf`` puts scanned and text pages in one
file, as offices do when a signed page is scanned into an exported report.
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


def render_pages(pdf: bytes, dpi: int = DPI) -> list:
    """Every page of ``pdf`` as a grey PIL image at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
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


def images_to_pdf(images: Sequence, dpi: int = DPI) -> bytes:
    """Page images as an image-only PDF (no text layer), one page each, at ``dpi``."""
    out = io.BytesIO()
    first, *rest = images
    fixed = time.gmtime(1673827200)  # 2023-01-16: the same scan, the same bytes
    first.save(
        out, format="PDF", save_all=True, append_images=rest, resolution=float(dpi), creationDate=fixed, modDate=fixed
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


def libreoffice_pdf(docx: Path) -> bytes:
    """The DOCX laid out as PDF by LibreOffice (through gongkai's own runner)."""
    sys.path.insert(0, str(HERE.parent))
    from gongkai.converters.docx.libreoffice import convert_with_libreoffice

    return convert_with_libreoffice(docx.read_bytes(), "docx", "pdf")


def write(key: str, outdir: Path = HERE) -> Path:
    """``outdir/<key>.scan.pdf`` from ``samples/<key>.docx``."""
    target = outdir / f"{key}.scan.pdf"
    target.write_bytes(scan_pdf(libreoffice_pdf(HERE / f"{key}.docx")))
    return target


def main(argv: list[str]) -> None:
    key = argv[0] if argv else "sample-2021"
    print(write(key, Path(argv[1]) if len(argv) > 1 else HERE))


if __name__ == "__main__":
    main(sys.argv[1:])
