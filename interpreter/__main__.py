"""``python -m interpreter`` runs the ``callflow`` command."""

import sys

from interpreter.cli import main

sys.exit(main())
