"""`python -m assistant` is the `skilltick` command."""

from assistant.cli.root import main

main()
