"""No batch worker outlives its batch: ``kill -9`` of the batch process alone (not its group)
ends its workers, and then their fork server, within 2 s.

The workers' parent-death signal follows the fork server, and the fork server ends only when
every holder of its "alive" pipe has closed it, the workers included (multiprocessing hands it to
each): so a worker busy with a file kept the fork server, and the fork server kept the worker,
until the file was done (some 43 s). The pipe watch (:func:`gongkai.bulk.pool.watch_parent`)
follows the batch itself. One worker is given a file that would keep it busy for an hour; in the
second case the fork server is stopped (SIGSTOP), so only the pipe watch can end the workers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai.bulk.worker import HANG_HOOK

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _is_fork_server(pid: int) -> bool:
    try:
        return b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@pytest.mark.parametrize("stop_the_fork_server", [False, True])
def test_workers_end_within_2_s_of_their_batch(tmp_path: Path, stop_the_fork_server: bool) -> None:
    data = (SAMPLES / "sample-2021.txt").read_bytes()
    for n in range(4):
        (tmp_path / f"r{n}.txt").write_bytes(data)
    env = dict(os.environ, **{HANG_HOOK: "r0.txt"})
    command = [sys.executable, "-m", "gongkai.cli", "convert", str(tmp_path), "-o", str(tmp_path / "out"), "-j", "2"]
    batch = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True
    )
    server = None
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and batch.poll() is None:
            servers = [p for p in _children(batch.pid) if _is_fork_server(p)]
            if servers:
                server = servers[0]
                workers = _children(server)
                if workers and any((tmp_path / "out").glob("r*.txt.*")):
                    break  # the workers are up and one of them converted a file
            time.sleep(0.02)
        assert server is not None and workers, "the batch never started its workers"
        assert batch.poll() is None, "the batch ended though one file hangs"
        if stop_the_fork_server:
            os.kill(server, signal.SIGSTOP)  # it lives on, so no parent-death signal
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait()
        killed = time.monotonic()
        left = [*workers, *([] if stop_the_fork_server else [server])]
        while any(_alive(p) for p in left) and time.monotonic() - killed < 2:
            time.sleep(0.01)
        assert [p for p in left if _alive(p)] == []
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
        if server is not None and _alive(server):
            os.kill(server, signal.SIGKILL)
