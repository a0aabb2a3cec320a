# SPDX-License-Identifier: MIT
"""What the seed scripts share: writing a harness's seeds into tests/fuzz/corpus/HARNESS."""
import os

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write_seeds(harness, seeds):
    """Write each (name, bytes) of seeds as tests/fuzz/corpus/HARNESS/NAME."""
    directory = os.path.join(CORPUS, harness)
    os.makedirs(directory, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
