# The test application's entry point (tests/standalone/check_app.py
# bundles this directory with scripts/bundle-app).
import sys

from appkg import cli

sys.exit(cli.main(sys.argv))
