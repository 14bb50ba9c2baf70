"""Use-cases: the only layer that joins the pure core, the store and the vault.

The web views and the command line are thin faces over these functions.
"""
