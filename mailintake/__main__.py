"""`python -m mailintake`: the same as the `mailintake` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
