"""``python -m remedy_model.cli``: the ``remedy`` command."""

import sys

from remedy_model.cli import main

sys.exit(main())
