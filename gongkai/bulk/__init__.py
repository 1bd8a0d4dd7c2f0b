"""Many inputs at once: finding them (``inputs``), the run (``run``) on a local process pool
(``pool`` + ``worker``) or a Dask cluster (``cluster``), its resumable ``manifest`` with atomic
``files``, ``progress`` on the terminal, and the dataset ``export``.

Bulk work sits around the one-document flow (converters -> canonical model -> report -> writers)
and calls it only through :mod:`gongkai.api` and :mod:`gongkai.writers`.
"""
