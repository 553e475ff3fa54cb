"""A black-box conformance suite for ZeroMQ's core messaging patterns.

It starts any implementation of the demos from a manifest, plays the other side
of each pattern from trio, and judges hypothesis-generated cases against the
numbered requirements of SPEC.md.
"""
