#!/usr/bin/env bash
# What can be checked of an export's train_hf.py without transformers or PEFT (no PyPI here): it compiles, and
# its SETTINGS equal the export's training_config.json — for a LoRA run and a full one.
#   bash scripts/reference/check_train_hf.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
npx tsx -e "import {sampleCsv} from './src/core/data/sample'; import {writeFileSync} from 'node:fs'; writeFileSync('$tmp/s.csv', sampleCsv(120, 3));"
for lora in "--lora r=4,alpha=8" ""; do
  rm -rf "$tmp/out"
  npm run --silent cli -- train --model test-fixtures/models/st-gelu --data "$tmp/s.csv" --text-column review \
    --text-pair-column customer --label-column rating --epochs 1 --batch-size 16 --max-length 24 $lora --out "$tmp/out" >/dev/null 2>&1
  /usr/bin/python3 -m py_compile "$tmp/out/train_hf.py"
  /usr/bin/python3 - "$tmp/out" <<'PY'
import ast, json, sys
out = sys.argv[1]
tree = ast.parse(open(f"{out}/train_hf.py").read())
settings = next(json.loads(n.value.args[0].value) for n in tree.body
                if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "SETTINGS")
assert settings == json.load(open(f"{out}/training_config.json")), "SETTINGS differ from training_config.json"
print("train_hf.py compiles; its settings equal training_config.json (lora:", settings["lora"] is not None, ")")
PY
done
rm -rf "$tmp"
