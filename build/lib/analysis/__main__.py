"""``python -m analysis run|validate|bench``: see :mod:`analysis.runner.cli`."""
import sys

from .runner.cli import main

if __name__ == "__main__":
    sys.exit(main())
