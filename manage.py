#!/usr/bin/env python
from newsroom.cli import main

if __name__ == "__main__":
    main()
