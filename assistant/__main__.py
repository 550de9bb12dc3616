"""`python -m assistant` is the `skilltick` command."""

from assistant.cli import main

main()
