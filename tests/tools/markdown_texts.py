"""Build every example deal in the pharma, balanced and partner stances and
print the Markdown of every document as JSON ({"example/stance/file": text}).

Run by ``tests/test_compat_texts.py`` twice: with the code of an earlier
commit and with today's code, both on that commit's library and examples,
to show that a library in the earlier format still builds to the same
text. It uses only API calls that every version since that commit has.

    python markdown_texts.py LIBRARY_DIR EXAMPLES_DIR
"""

import json
import re
import sys
from pathlib import Path

from assembler.assembly.pipeline import build_deal
from assembler.base.errors import DealdraftError
from assembler.deal.load import parse_deal
from assembler.library.load import load_library
from assembler.writers.markdown import write_markdown

STANCES = ("pharma", "balanced", "partner")


def main() -> None:
    library_dir, examples_dir = Path(sys.argv[1]), Path(sys.argv[2])
    library = load_library((library_dir,), builtin=False)
    errors = [str(p) for p in library.problems if p.severity == "error"]
    if errors:
        raise SystemExit("library errors:\n" + "\n".join(errors))
    texts = {}
    for example in sorted(examples_dir.glob("*.yaml")):
        source = example.read_text("utf-8")
        for stance in STANCES:
            text = re.sub(r"^stance:[^\n]*", f"stance: {stance}", source, count=1, flags=re.M)
            try:
                build = build_deal(parse_deal(text, library, example.name), library)
            except DealdraftError as exc:  # the same error before and after is compatible too
                texts[f"{example.stem}/{stance}/error"] = "\n".join(map(str, exc.problems))
                continue
            for name, data in sorted(write_markdown(build).items()):
                texts[f"{example.stem}/{stance}/{name}"] = data.decode("utf-8")
    json.dump(texts, sys.stdout, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main()
