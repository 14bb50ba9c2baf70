"""The axe-core the browser tests run is the one vendored from the npm registry."""

from __future__ import annotations

import hashlib

from tests.browser.axe import AXE, AXE_SHA256, axe_source


def test_the_vendored_axe_matches_its_recorded_digest() -> None:
    source = axe_source()  # refuses a file whose digest is not the recorded one
    assert hashlib.sha256(source.encode("utf-8")).hexdigest() == AXE_SHA256
    assert source.startswith("/*! axe v4.14.1")
    readme = (AXE.parent / "README.md").read_text(encoding="utf-8")
    assert AXE_SHA256 in readme, "the vendor README does not record the digest"
