"""`python -m pseudogen` runs the command line."""
from pseudogen.cli import main

main()
