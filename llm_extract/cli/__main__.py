"""`python -m llm_extract.cli`: the same as the `llm-extract` command."""

import sys

from . import main

sys.exit(main())
