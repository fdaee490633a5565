"""`python -m singleton` runs the CLI."""

import sys

from singleton.cli import main

sys.exit(main())
