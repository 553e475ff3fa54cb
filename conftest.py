"""Root of the project: makes ``reference`` and ``conformance`` importable from a
plain checkout, and loads the conformance plugin so that ``pytest --impl
MANIFEST`` works here (installed, the plugin comes through its entry point
under the same name, and is not loaded twice)."""

pytest_plugins = ["conformance.pytest_plugin"]
