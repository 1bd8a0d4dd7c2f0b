"""Edit distance for text fidelity: shared by the OCR tests and benchmarks/bench_ocr.py, so the
figure a benchmark prints is the one the tests hold to 0.95."""


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
