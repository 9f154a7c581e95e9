"""Write the pinned answers of the frozen mini-table (tests/test_pinned_answers.py).

Run this only when a change of the answers is intended, and say why in the commit:

    python scripts/pin_answers.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "frozen"
sys.path.insert(0, str(HERE.parent.parent.parent))

from tests.test_pinned_answers import answers  # noqa: E402

if __name__ == "__main__":
    (HERE / "answers.json").write_text(json.dumps(answers(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {HERE / 'answers.json'}")
