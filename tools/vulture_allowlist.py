"""Names vulture takes for unused that are used where it cannot see (pyproject.toml's
[tool.vulture] lists it with the code). Framework callbacks and decorated functions are
covered there by ``ignore_decorators`` and ``ignore_names``; what is left is here, each with
why it is used. Never run: it only names them."""

import zipfile

from test_reference import sacrebleu

from mtreview.options import Options

# A field set by name: Options.build passes a config's values to Options(**values), and the
# config file may give "exclude"; what it excludes is read from the config's values
# (mtreview.config.Config.wants), never from the field.
_ = Options.exclude

# tests/test_reference.py: `sacrebleu = pytest.importorskip("sacrebleu")` skips the module
# when sacrebleu is missing; the module object itself is not needed.
_ = sacrebleu

# Fields of a zip entry that zipfile reads when it writes the entry: mtreview/report/docx.py
# sets them so that the Word file's bytes do not depend on the system that writes it.
_ = zipfile.ZipInfo.create_system
_ = zipfile.ZipInfo.external_attr

# Called by typer and click: the callback of the `mtreview` group itself (its --version
# option), and the hook click's help calls for a command's usage line.
from mtreview import cli, usage

_ = cli._top
_ = usage.Command.collect_usage_pieces

# Read by http.client, not by mtreview: mtreview/grammar/transport.py gives each connection a
# socket factory of its own (sockets that honour the request's deadline and the stop switch).
import http.client

_ = http.client.HTTPConnection._create_connection

# Read by the roll-up page's template (mtreview/report/templates/rollup.html.j2), which
# vulture does not read: the articles without a readable date, said under the trend.
from mtreview.batch import aggregate

_ = aggregate.Trend.undated
