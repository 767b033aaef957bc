"""``python -m missions`` runs the ``mission-compare`` command line."""

from .cli import main

if __name__ == "__main__":  # pragma: no branch
    main()
