"""Shared fixtures: the real corpus in ../shared (present in CI; tests that need it skip elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
REAL = SHARED / "corpus" / "real"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed corpus is absent ({SEEDS}); it ships beside the project in CI")
    return SEEDS


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"the real corpus is absent ({REAL}); it ships beside the project in CI")
    return REAL


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
