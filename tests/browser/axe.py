"""axe-core, vendored from the npm registry, run in real Chromium against a page.

The script is evaluated through the browser's debugging protocol, which the page's
Content-Security-Policy does not govern: nothing is added to allymap's own pages.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
"""The digest of the vendored file (tests/browser/vendor/README.md)."""

WCAG_22_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""The axe rule tags of WCAG 2.2 level A and AA."""


def axe_source() -> str:
    """The vendored axe-core, checked against its recorded digest."""
    data = AXE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == AXE_SHA256, f"{AXE} is not the vendored axe-core ({digest})"
    return data.decode("utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.2 A/AA violations axe finds on the page as it now is (empty when none)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(f"() => {{ {axe_source()}\n}}")
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
            }));
        }""",
        list(WCAG_22_AA),
    )
    return violations


def described(violations: list[dict[str, Any]]) -> str:
    """Violations as lines a person can read in a failing test."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations)
