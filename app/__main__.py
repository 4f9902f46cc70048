"""``python -m app``: the same as the ``caja`` command."""

import sys

from app.cli import main

sys.exit(main())
