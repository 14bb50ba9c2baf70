"""Use cases: the only layer that joins the pure core, the store and the vault.

Split by area, each a short module of keyword-only functions: `interventions`, `people`,
`positions`, `notes` (writes, through the log engine in `engine`, and selectors that
return readings: frozen dataclasses shaped for display), `accounts` and `sessions`
(unlocking and the server half of a session), `access` (who may see what). The web and
the command line call these and nothing below them (an import-linter contract).
"""
