"""The findings about suppression directives themselves. The core applies directives after
every check has run (mtreview/suppress.py: rules never see them) and reports on them there;
declared here, like every other check, so they carry their metadata and examples, and can
be selected, ignored and given a severity like any rule. Their finders have nothing to find."""

from __future__ import annotations

from mtreview.checks.base import check


@check(
    scope="document",
    source="suppressions",
    id="mtreview.unknown-suppression",
    category="design/markup",
    severity="warning",
    message="A suppression names no rule or pack",
    why="""A directive whose rule name matches nothing (a typo, a rule renamed or removed)
        silences nothing, while the writer believes it does.""",
    instead="Name a rule id, pack, dotted prefix or glob that `mtreview rules list` shows.",
    fix="none",
    examples={
        "bad": [{"text": "[mtreview-disable nonesuch]\nThe talks resume on Monday.\n",
                 "span": "[mtreview-disable nonesuch]"}],
        "good": ["[mtreview-disable calque.this-weekday]\nThey met this Monday.\n",
                 "[mtreview-disable-next-line garble]\nThey met with the in order to talk.\n"],
    },
)
def unknown_suppression(doc, rule):
    return ()


@check(
    scope="document",
    source="suppressions",
    id="mtreview.unused-suppression",
    category="design/markup",
    severity="warning",
    message="Unused suppression: it silences no finding",
    why="""A directive that silences nothing is noise, and it would silence a real finding
        added later without anyone deciding so. Reported with
        `check --report-unused-suppressions`.""",
    instead="Delete the directive.",
    fix="unsafe",
    examples={
        "bad": [{"text": "[mtreview-disable garble]\nAll is well.\n", "span": "[mtreview-disable garble]",
                 "fixed": "\nAll is well.\n"}],
        "good": ["[mtreview-disable-next-line garble]\nThey met with the in order to talk.\n"],
    },
)
def unused_suppression(doc, rule):
    return ()
