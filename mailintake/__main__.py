"""`python -m mailintake`: the same as the `mailintake` command."""

from .cli import run

if __name__ == "__main__":
    run()
