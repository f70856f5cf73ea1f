import sys

from eulereye.cli import main

sys.exit(main())
