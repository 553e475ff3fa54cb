"""pytest plugins that break the suite's bookkeeping on purpose (tests/harness/test_item_identity)."""
