"""``python -m aikg``: the same command line as ``aikg``."""

from aikg import main

if __name__ == "__main__":
    main()
