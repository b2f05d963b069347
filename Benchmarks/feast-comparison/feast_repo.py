"""A fresh Feast repository for the comparison scripts: local provider, SQLite online store,
file offline store — what `feast init` sets up."""

from __future__ import annotations

import logging
import os
import shutil
import warnings


def fresh_feast_repo(work: str, project: str) -> str:
    """Creates (replacing any earlier one) `work/feast_repo` with its feature_store.yaml, quiets
    Feast's warnings and logs, and returns the repository's path."""
    warnings.filterwarnings("ignore")
    logging.getLogger("feast").setLevel(logging.ERROR)
    repo = os.path.join(work, "feast_repo")
    shutil.rmtree(repo, ignore_errors=True)
    os.makedirs(os.path.join(repo, "data"))
    with open(os.path.join(repo, "feature_store.yaml"), "w") as f:
        f.write(f"""project: {project}
provider: local
registry: data/registry.db
online_store:
  type: sqlite
  path: data/online_store.db
offline_store:
  type: file
entity_key_serialization_version: 3
""")
    return repo
