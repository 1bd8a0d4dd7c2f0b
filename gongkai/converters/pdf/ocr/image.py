"""A scanned page as a clean, upright grey image: render, denoise, deskew.

Scans come speckled (dust, toner) and turned by a degree or so. Speckles read as stray
punctuation next to figures (``4.`` for ``4``) and skew bends ruling lines so that a table's
grid no longer lines up, so both go before anything is read: a 3×3 median filter removes
isolated dots smaller than a stroke, and the skew angle is the one at which the page's dark
pixels, projected onto rows, give the sharpest profile (text lines and rulings then fall into
few rows), searched in tenths of a degree within ±3°.
"""

from __future__ import annotations

from typing import Any

DPI = 200  # render scale: a 150 dpi scan loses nothing, small print gains
_MAX_SKEW = 3.0
_STEP = 0.1


def render(pdf: Any, index: int, dpi: int = DPI) -> Any:
    """Page ``index`` of an open pypdfium2 document as a grey numpy array, coloured ink and the
    paper's tint and shading taken out (:func:`without_colour`, :func:`flatten`)."""
    import numpy as np

    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=False)
        pixels = bitmap.to_numpy()
    finally:
        page.close()
    grey = without_colour(pixels) if pixels.ndim == 3 else np.asarray(pixels, np.uint8)
    return flatten(clear_borders(grey))


_BORDER_DARK = 0.5  # a row or column this dark along its length is the copier's border, not print


def clear_borders(grey: Any) -> Any:
    """The dark bands at a photocopy's edges (the lid did not cover the page) made white: from
    each edge inwards, every row (column) that is mostly dark, and a few pixels past the last.
    A band left would be a ruling as long as the page to the grid and ink to the detector."""

    dark = grey < 128
    h, w = grey.shape
    cut = [0, 0, 0, 0]
    for side, profile in enumerate((dark.mean(axis=1), dark.mean(axis=1)[::-1], dark.mean(axis=0), dark.mean(axis=0)[::-1])):
        n = 0
        while n < len(profile) // 4 and profile[n] >= _BORDER_DARK:
            n += 1
        cut[side] = n
    if not any(cut):
        return grey
    out = grey.copy()
    pad = 4
    if cut[0]:
        out[: cut[0] + pad] = 255
    if cut[1]:
        out[h - cut[1] - pad :] = 255
    if cut[2]:
        out[:, : cut[2] + pad] = 255
    if cut[3]:
        out[:, w - cut[3] - pad :] = 255
    return out


def without_colour(pixels: Any) -> Any:
    """A colour page as grey with coloured ink gone: each pixel's brightest channel.

    Why: a red seal (公章, 骑缝章) stamped over the print reads as strokes through the figures
    and the signature; in its brightest (red) channel red ink is nearly as light as the paper,
    while black print stays black in every channel, also where the seal covers it (stamped ink
    darkens what is under it, it does not hide it)."""
    import numpy as np

    rgb = pixels[..., :3]
    brightest, darkest = rgb.max(axis=2), rgb.min(axis=2)
    # where the colour is strong the pixel is seal ink alone (its darker edges, JPEG's smearing):
    # paper; print under the seal is dark in every channel and stays
    seal = (brightest.astype(np.int16) - darkest > _COLOURED) & (brightest > _LIGHT)
    return np.where(seal, 255, brightest).astype(np.uint8)


_COLOURED = 60  # brightest minus darkest channel: more is coloured ink, not grey print or paper
_LIGHT = 150  # ... and seal ink alone is light in its own channel; print under it is not


_BACKGROUND = 31  # pixels at 200 dpi: wider than any stroke, narrower than the light's changes


def flatten(grey: Any) -> Any:
    """The page divided by its paper: tinted paper, light falling off across a colour scan and
    the dark borders of a photocopy become white, the print keeps its contrast.

    The paper's brightness at each place is the brightest pixel nearby (strokes are thin), found
    at a quarter of the scale and blurred; a page already white is returned as it is."""
    import cv2
    import numpy as np

    small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    k = _BACKGROUND // 4 | 1
    paper = cv2.dilate(small, np.ones((k, k), np.uint8))
    paper = cv2.blur(paper, (k, k))
    if int(np.percentile(paper, 2)) >= 245:
        return grey
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    # a wide dark border is 'paper' as dark as print: where the paper is that dark, it is no paper
    out = np.where(
        paper < 90, 255, np.clip(grey.astype(np.float32) * 255.0 / np.maximum(paper, 1), 0, 255)
    ).astype(np.uint8)
    return out


_SPECK_AREA = 16  # pixels at 200 dpi: a dot of dust; a decimal point is as small, but sits by a digit
_NEAR = 6  # pixels: a small dot this close to a stroke belongs to the text (。 . ·)


def denoise(image: Any) -> Any:
    """A median filter for the grain, then every small dot that stands alone is removed."""
    import cv2
    import numpy as np

    smooth = cv2.medianBlur(image, 3)
    ink = (smooth < 170).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= _SPECK_AREA
    small[0] = False
    if not small.any():
        return smooth
    big = (ink > 0) & ~small[labels]
    near = cv2.dilate(big.astype(np.uint8), np.ones((2 * _NEAR + 1, 2 * _NEAR + 1), np.uint8)) > 0
    specks = small[labels] & ~near
    out = smooth.copy()
    out[specks] = 255
    return out


def skew_angle(image: Any) -> float:
    """The page's skew in degrees (counter-clockwise positive, as ``cv2.getRotationMatrix2D``)."""
    import cv2
    import numpy as np

    small = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    if ink.sum() < 100:
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    steps = int(round(_MAX_SKEW / _STEP))
    for k in range(-steps, steps + 1):
        angle = k * _STEP
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = turned.sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = angle, score
    return -best


def upright(image: Any) -> tuple[Any, Any]:
    """``image`` turned back by its skew: as scanned (for the rulings, which a median filter
    thins out where they are one pixel wide) and denoised (for the text)."""
    import cv2

    clean = denoise(image)
    angle = skew_angle(clean)
    if abs(angle) < _STEP / 2:
        return image, clean
    h, w = clean.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)

    def turn(img: Any) -> Any:
        return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)

    return turn(image), turn(clean)
