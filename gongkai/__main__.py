"""``python -m gongkai``: the same command line as the ``gongkai`` script."""

from .cli import main

raise SystemExit(main())
