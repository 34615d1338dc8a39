"""``python -m gateway serve`` is ``healthgate serve``."""

from gateway.cli import main

raise SystemExit(main())
