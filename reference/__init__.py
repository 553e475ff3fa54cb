"""Reference implementations of the ZeroMQ demos of *Node.js the Right Way*.

One module per role, each runnable as ``python -m reference.<module>``; SPEC.md
states what each must do. What two roles share (the filer's request handling,
the forwarder, shutdown on signals) lives once, in its own module.
"""
