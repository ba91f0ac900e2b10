"""``python -m interpreter`` runs the ``callbox`` command."""

import sys

from callbox.interpreter.cli import main

sys.exit(main())
