"""Print a line and an unterminated one, complain on stderr, and exit with code 3."""

import sys

sys.stdout.write("first\npartial")
sys.stdout.flush()
print("bad things happened", file=sys.stderr, flush=True)
sys.exit(3)
