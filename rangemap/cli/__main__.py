"""``python -m rangemap.cli``."""

import sys

from rangemap.cli.main import main

sys.exit(main())
