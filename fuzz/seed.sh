#!/usr/bin/env bash
# Lays out the seed corpora (fuzz/corpus/<target>/) from the project's real feed
# fixtures, and a dictionary of the keys and words the readers look for
# (fuzz/corpus/json.dict), both made anew from the sources at each run and never
# committed. Run from anywhere: bash fuzz/seed.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
corpus="$here/corpus"
mkdir -p "$corpus"

fixtures=()
while IFS= read -r f; do fixtures+=("$f"); done < <(
    find "$root/tests/fixtures" -name '*.json' | sort
    echo "$root/assets/sample-feed.json"
    echo "$root/docs/example-feed.json"
)

# Each fixture whole, and cut down to its first record or two of every list: small
# seeds of every shape keep the fuzzer fast (a run with a small -max_len truncates the
# whole ones, which are then no longer JSON).
small="$(mktemp -d)"
links="$(mktemp -d)"
trap 'rm -rf "$small" "$links"' EXIT
feeds=("${fixtures[@]}")
for f in "${fixtures[@]}"; do
    for keep in 1 2; do
        out="$small/small$keep-$(basename "$f")"
        python3 - "$f" "$keep" > "$out" <<'PY'
import json, sys

def cut(v, keep):
    if isinstance(v, list):
        return [cut(x, keep) for x in v[:keep]]
    if isinstance(v, dict):
        return {k: cut(x, keep) for k, x in v.items()}
    return v

try:
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError:
    sys.exit()  # a fixture that is broken on purpose: kept whole only
print(json.dumps(cut(doc, int(sys.argv[2])), ensure_ascii=False, separators=(",", ":")))
PY
        if [ -s "$out" ]; then feeds+=("$out"); fi
    done
done

# A file's name in a corpus: its path in the project (or its name), flattened.
name() {
    local p="${1#"$root"/}"
    case "$p" in /*) basename "$p" ;; *) echo "${p//\//_}" ;; esac
}

# put TARGET PREFIX_HEX FILE: FILE into TARGET's corpus, after the bytes PREFIX_HEX.
put() {
    local dir="$corpus/$1" hex="$2" file="$3"
    mkdir -p "$dir"
    { [ -z "$hex" ] || printf "$(echo "$hex" | sed 's/../\\x&/g')"; cat "$file"; } \
        > "$dir/${hex:+$hex-}$(name "$file")"
}

i=0
for q in \
    '?cat=green&day=sat&free=1&access=wheelchair&r=3mi&at=52.62806,1.29731&place=Norwich' \
    '?feed=https%3A%2F%2Fexample.org%2Ff.json&q=tea+%26+cake&tag=a%252Cb,walking&part=morning,evening' \
    '?map=53.48,-2.24,12.5&list=hub-4,green-1&sel=green-1&inview=1&today=yes&self=1&r=5km' \
    '?tiles=http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png&at=91,0&r=501mi&map=1,2,23' \
    '%E2%82%AC=%&%4=%zz&==&&&?'; do
    printf '%s' "$q" > "$links/link-$i.txt"
    i=$((i + 1))
done

for f in "${feeds[@]}"; do
    for t in load native openactive oruk geojson parkrun; do put "$t" "" "$f"; done
    # stream: mode byte (path, items per read, options), then the piece-size seed.
    for hex in 0000 0107 0a05 1302 1e06 0b00; do put stream "$hex" "$f"; done
    for pick in 00 01 02 03 04 05; do put readers "$pick" "$f"; done
    for hex in 0000 0107 1302 0b06; do put readers "06$hex" "$f"; done
done
for f in "$links"/*; do
    put link "" "$f"
    put readers 07 "$f"
done

# The dictionary: JSON's own tokens, and every short string literal in the readers and
# the link parser (keys such as "activities", words such as "wheelchair").
{
    printf '%s\n' '"{"' '"}"' '"["' '"]"' '":"' '","' '"\""' '"true"' '"false"' '"null"' \
        '"-0.5e-3"' '"\\u00e9"' '"\xef\xbb\xbf"'
    cat "$root"/crates/core/src/feed/*.rs "$root"/crates/core/src/url_state.rs \
        "$root"/crates/core/src/model.rs \
        | grep -o '"[A-Za-z0-9_@:/.# -]\{2,32\}"' | sort -u
} > "$corpus/json.dict"

for d in "$corpus"/*/; do echo "$(ls "$d" | wc -l) seeds in ${d#"$here"/}"; done
echo "dictionary: $(wc -l < "$corpus/json.dict") entries in corpus/json.dict"
