"""Root of the project's own tests: makes ``reference`` and ``conformance`` importable
from a plain checkout, so ``pytest`` works inside and outside tox."""
