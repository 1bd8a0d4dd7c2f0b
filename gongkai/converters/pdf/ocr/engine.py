"""The OCR engine: RapidOCR (PP-OCR detection and recognition models run by onnxruntime).

Why RapidOCR: its wheel carries the PP-OCRv4 models (no download at run time, 92 MiB with
onnxruntime), and on our 150 dpi speckled scans it reads Chinese prose and table figures far
better than Tesseract's ``chi_sim`` (``benchmarks/bench_ocr.py`` measures both). It is an
optional extra, ``pip install 'gongkai[ocr]'``; without it a scanned page fails with one line.

Recognition is run on one text box at a time so that the network's per-position character
probabilities can be read: where a digit had a runner-up with real probability, that reading
is kept as an alternative for the report layer's identity checks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ....errors import MissingDependency

INSTALL_HINT = "this PDF has scanned pages and OCR is not installed: pip install 'gongkai[ocr]'"
# opencv-python (required by rapidocr-onnxruntime) links libGL and GLib, absent from minimal images
SYSTEM_HINT = "this PDF has scanned pages and OpenCV cannot load ({}): apt-get install libgl1 libglib2.0-0"
_RUNNER_UP = 0.02  # a second character this probable at a position is an alternative reading
_DIGITS = set("0123456789")

_lock = threading.Lock()
_engine: Any = None


@dataclass(frozen=True)
class Recognised:
    """One text box as read: the text, the mean character confidence, and single-character
    alternatives (digits only: those are what the identities can judge), most likely first."""

    text: str
    confidence: float
    alternatives: tuple[str, ...] = ()
    # the same crop decoded with figures only (digits, '.', ','): what a figure cell says
    figure: str = ""
    figure_confidence: float = 0.0


def engine() -> Any:
    """The RapidOCR instance of this process (loading the models takes a fraction of a second)."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                import logging

                from rapidocr_onnxruntime import RapidOCR
            except ImportError as error:
                if ".so" in str(error):  # the package is there, a system library is not
                    raise MissingDependency(SYSTEM_HINT.format(str(error).split(":")[0])) from None
                raise MissingDependency(INSTALL_HINT) from None
            _engine = RapidOCR()
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            _engine.text_rec.postprocess_op = _Capture(_engine.text_rec.postprocess_op)
        return _engine


def available() -> bool:
    try:
        engine()
    except MissingDependency:
        return False
    return True


_DETECT_SIDE = 1400  # pixels: the page is detected at this size (memory and time), read at full size


def detect(image: Any) -> list[tuple[float, float, float, float]]:
    """Text boxes on a grey page image, as (x0, top, x1, bottom) pixel rectangles.

    Detection runs on the page scaled down to at most ``_DETECT_SIDE`` pixels: a full 200 dpi
    page needs some 700 MiB more address space in the detector's upsampling layers (a batch
    worker's memory limit is 2 GiB) and finds the same boxes.
    """
    import cv2

    ocr = engine()
    scale = min(1.0, _DETECT_SIDE / max(image.shape[:2]))
    small = image if scale == 1.0 else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    with _lock:
        boxes, _ = ocr.text_det(_bgr(small))
    out = []
    for quad in boxes if boxes is not None else []:
        xs = [float(p[0]) / scale for p in quad]
        ys = [float(p[1]) / scale for p in quad]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def recognise(crop: Any) -> Recognised:
    """The text of one single-line crop (grey image)."""
    ocr = engine()
    capture: _Capture = ocr.text_rec.postprocess_op
    with _lock:
        capture.preds = None
        result, _ = ocr.text_rec([_bgr(crop)])
        preds = capture.preds
    text, score = result[0]
    characters = capture.decode.character
    figure, figure_score = _figure_decoding(preds, characters)
    return Recognised(text, float(score), _alternatives(text, preds, characters), figure, figure_score)


def _bgr(image: Any) -> Any:
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


class _Capture:
    """Wraps RapidOCR's CTC decoder to keep the raw probabilities of the last batch."""

    def __init__(self, decode: Any) -> None:
        self.decode = decode
        self.preds: Any = None

    def __call__(self, preds: Any, *args: Any, **kwargs: Any) -> Any:
        self.preds = preds
        return self.decode(preds, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.decode, name)


def _figure_decoding(preds: Any, characters: list[str]) -> tuple[str, float]:
    """Greedy CTC decoding over the blank and the characters of a figure only."""
    import numpy as np

    if preds is None:
        return "", 0.0
    allowed = [0] + [i for i, ch in enumerate(characters) if ch in _FIGURE_CHARS]
    probs = preds[0][:, allowed]
    best = probs.argmax(axis=1)
    out: list[str] = []
    scores: list[float] = []
    previous = -1
    for t, k in enumerate(best):
        if k != 0 and k != previous:
            out.append(characters[allowed[k]])
            scores.append(float(probs[t, k]))
        previous = k
    return "".join(out), float(np.mean(scores)) if scores else 0.0


_FIGURE_CHARS = set("0123456789.,")


def _alternatives(text: str, preds: Any, characters: list[str]) -> tuple[str, ...]:
    """Texts with one digit replaced by the network's runner-up at that position."""
    if preds is None or not any(ch in _DIGITS for ch in text):
        return ()
    probs = preds[0]
    best = probs.argmax(axis=1)
    emitted: list[int] = []  # time steps that produced a character (CTC: not blank, not a repeat)
    previous = -1
    for t, index in enumerate(best):
        if index != 0 and index != previous:
            emitted.append(t)
        previous = index
    if len(emitted) != len(text):
        return ()
    scored: list[tuple[float, str]] = []
    for position, t in enumerate(emitted):
        if text[position] not in _DIGITS:
            continue
        order = probs[t].argsort()[::-1]
        for index in order[1:4]:
            candidate = characters[index] if index < len(characters) else ""
            p = float(probs[t][index])
            if candidate in _DIGITS and p >= _RUNNER_UP:
                scored.append((p, text[:position] + candidate + text[position + 1 :]))
    scored.sort(key=lambda item: -item[0])
    return tuple(dict.fromkeys(text for _, text in scored))


def recognise_many(crops: list[Any]) -> list[Recognised]:
    """Several single-line crops at once (batched: faster; no alternatives)."""
    if not crops:
        return []
    ocr = engine()
    with _lock:
        result, _ = ocr.text_rec([_bgr(c) for c in crops])
    return [Recognised(text, float(score)) for text, score in result]
