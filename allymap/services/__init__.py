"""Use cases: the only layer that joins the pure core, the store and the vault.

Split by area, each a short module of keyword-only functions: `interventions`, `people`,
`positions`, `notes`, `erasure`, `demo` (writes, through the log engine in `engine`, and
selectors that return readings: frozen dataclasses shaped for display); `accounts`,
`throttle` and `sessions` (unlocking, its throttle, and the server half of a session);
`access` (who may see what); `marks` (each log's head, kept outside the database) and
`preferences` (the disguise). The web and
the command line call these and nothing below them (an import-linter contract).
"""
