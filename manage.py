#!/usr/bin/env python
from heard.cli import main

if __name__ == "__main__":
    main()
