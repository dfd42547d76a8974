"""`python -m socialaudit`: the same command line as the `socialaudit` script."""

from .cli import main

if __name__ == "__main__":
    main()
