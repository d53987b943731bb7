#!/usr/bin/env bash
# Regenerates the committed reference vectors. Needs, outside the project's dependencies:
#   apt-get install python3-torch          (Debian's PyTorch, for the BERT reference)
#   npm i --prefix /tmp/tokref tokenizers@0.23.2   (Hugging Face's Rust tokenizers, for token ids)
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=${NODE_PATH:-/tmp/tokref/node_modules}
node scripts/reference/tokenizer-golden.mjs
node scripts/reference/tokenize-inputs.mjs
/usr/bin/python3 scripts/reference/make_checkpoints.py
