# --ref REFERENCE names a record by the force's own reference in show, correct
# and history: the id follows from the reference as DESIGN.md section 3
# derives ids (computed here outside ssaudit), and data.police.uk's files,
# which carry no references, get an error saying so.
. "$(dirname "$0")/lib.sh"

cast 100%
synth_month 2026-10 12
M=2026-10
git_ show main:months/$M/population.jsonl | sed -n 3p >"$T/rec"
REF=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["reference"])' <"$T/rec")
ID=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <"$T/rec")
[ -n "$REF" ] && [ "$REF" != None ] || fail "the synthetic month should carry references"
WANT=$(python3 -c '
import base64, hashlib, sys
d = hashlib.sha256(b"ssaudit-id-v1\0ref\0" + sys.argv[1].encode()).digest()[:10]
print("R-" + base64.b32encode(d).decode().lower().rstrip("="))' "$REF")
[ "$WANT" = "$ID" ] || fail "the record's id $ID is not the one its reference gives, $WANT"

expect 0 show $M --ref "$REF"
out_has "$ID"
cp "$T/out" "$T/by-ref"
expect 0 show $M "$ID"
diff "$T/out" "$T/by-ref" >/dev/null || fail "show --ref and show ID differ"
ok "show --ref finds the record its reference names"

t0=$(tip)
expect 0 --as coord correct $M --ref "$REF" --outcome "Community resolution" --reason "Charged"
out_has "$M $ID: corrected"
[ "$(files months/$M/corrections)" = "months/$M/corrections/${ID:2:2}/$ID/0001.json" ] ||
	fail "the correction by reference is not filed under $ID: $(files months/$M/corrections)"
expect 0 history $M --ref "$REF"
out_has "corrected record $ID of October 2026: the outcome from"
ok "correct --ref and history --ref act on the same record"

expect 1 show $M --ref "DP-2026-10-000000"
err_has "there is no record with the reference 'DP-2026-10-000000' in October 2026"
expect 1 --as coord correct $M --ref "DP-2026-10-000000" --outcome Arrest --reason x
err_has "there is no record with the reference 'DP-2026-10-000000' in October 2026"
expect 2 show $M "$ID" --ref "$REF"
err_has "not both"
expect 2 history $M "$ID" --ref "$REF"
err_has "not both"
[ "$(git_ rev-list --count "$t0"..main)" = 1 ] || fail "a refused --ref wrote something"
ok "an unknown reference exits 1, an id with --ref exits 2, nothing written"

# data.police.uk's monthly file has no references.
F="$DATA/2019-06-dyfed-powys-stop-and-search.csv"
[ -f "$F" ] || skip "no data.police.uk file at $F"
expect 0 --as coord import 2019-06 "$F" --keep-outside
expect 1 show 2019-06 --ref "DP-2019-06-000001"
err_has "the records of June 2019 have no references (data.police.uk's files carry none"
err_has "name the record by its id instead"
ok "with data.police.uk input, --ref says there are no references"
