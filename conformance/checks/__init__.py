"""Pure checkers: a case and its transcript in, a verdict out.

Nothing here imports zmq, trio or subprocess (tests/conformance/test_purity.py
holds us to it), so every checker is tested on hand-made transcripts.
"""
