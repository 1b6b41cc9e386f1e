"""`python -m rnnviz`: see rnnviz/cli.py."""

import sys

from rnnviz.cli import main

sys.exit(main())
