#!/usr/bin/env bash
# Instructions per operation (self.x, self.x = v, a method call, an instantiation, isinstance)
# under each interpreter given, counted with cachegrind:
#   benches/py/opcost/run.sh python3.13 target/gil/release/weft target/nogil/release/weft
# Each cost is (I(op, N) - I(pass, N)) / N with N = 200,000.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
n=${OPCOST_N:-200000}
count() { # interpreter op -> instructions
    local out
    out=$(mktemp)
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" \
        "$here/opcost.py" "$2" "$n" 2>"$out" >/dev/null
    grep -oE 'I[[:space:]]+refs:[[:space:]]+[0-9,]+' "$out" | tr -d ', ' | sed 's/.*refs://'
    rm -f "$out"
}
printf '| interpreter | self.x | self.x = v | method call | instantiation | isinstance |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
for py in "$@"; do
    base=$(count "$py" pass)
    row="| $py |"
    for op in get set method new isinstance; do
        i=$(count "$py" "$op")
        row="$row $(((i - base) / n)) |"
    done
    echo "$row"
done
