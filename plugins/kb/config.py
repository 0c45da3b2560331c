"""The `kb` plugin's MkDocs configuration, generated from the options in `kb.settings`."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from kb.settings import OPTIONS

# One declaration of the options (kb.settings.OPTIONS) serves `kb check` and MkDocs alike.
KnowledgeBaseConfig = type(
    "KnowledgeBaseConfig",
    (base.Config,),
    {name: c.Type(kind, default=default) for name, (default, kind, _) in OPTIONS.items()},
)
