"""Broken implementations ("mutants"): each is the reference with ONE realistic bug.

Every mutant is a small program, ``python -m tests.mutants.<name>``, that imports
the reference role it breaks, changes exactly one thing (a monkeypatched function,
a subclass, or a main that differs in one line) and runs it. Its docstring's first
line says the bug and the requirement the suite must fail it on; ``catalogue.py``
lists them all, and ``tests/test_mutants_caught.py`` checks that the suite does.
Each has a manifest in ``manifests/<name>.toml`` that lists only the roles it
implements.
"""
