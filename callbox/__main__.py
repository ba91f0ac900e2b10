"""``python -m callbox`` runs the ``callbox`` command."""

import sys

from callbox.cli.main import main

sys.exit(main())
