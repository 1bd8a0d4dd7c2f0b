"""Many inputs at once: finding them (``inputs``), the run (``run``) on a local process pool
(``pool`` + ``worker``) or a Dask cluster (``cluster``), its resumable ``manifest`` with atomic
``files``, ``progress`` on the terminal, and the dataset ``export``.

Bulk work sits around the one-document flow (converters -> canonical model -> report -> writers):
it converts through :mod:`gongkai.api` and :mod:`gongkai.writers`, and beside them uses only what
a batch needs of the flow's parts (the format sniffed from the bytes, the YAML read back, the
organ key and the carry-over check for the export). Nothing in the flow imports it.
"""
