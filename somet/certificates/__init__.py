"""Certificates: pure completion rules and signed snapshots, PDF rendering, storage.

Import the submodules directly. This package deliberately re-exports nothing so that
importing the pure modules (``completion``, ``core``) never pulls in WeasyPrint.
"""
