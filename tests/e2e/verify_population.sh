# A population's records must be well formed (DESIGN.md section 3): each
# import forged here with stock git plumbing and signed by the coordinator, who
# may import, must fail verify naming the commit, the record and the reason.
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools
base_trail
pop_path="months/$MONTH/population.jsonl"
NEXT=2026-11

# forge_import EDIT: the month's population edited by the python EDIT (on a
# list `recs` of records), imported again as month $NEXT; prints the commit.
forge_import() {
	gitx show "main:$pop_path" | python3 -c '
import json, sys
recs = [json.loads(line) for line in sys.stdin]
exec(sys.argv[1])
recs.sort(key=lambda r: r["id"])
for r in recs:
    print(json.dumps(r, separators=(",", ":"), ensure_ascii=False))' "$1" >"$T/pop.jsonl"
	gitx show "main:months/$MONTH/sources.json" >"$T/sources.json"
	message "$T/msg" import "import: $NEXT" "Ssaudit-Month: $NEXT" "Ssaudit-Role: coordinator"
	local c
	c=$(forge main coord coord coord "$T/msg" "months/$NEXT/population.jsonl" "$T/pop.jsonl" \
		"months/$NEXT/sources.json" "$T/sources.json")
	gitx update-ref refs/heads/main "$c"
	echo "$c"
}

# The same records, untouched, verify: the failures below come from the edits.
c=$(forge_import 'pass')
expect 0 verify
ok "a population imported with plumbing, records untouched, verifies"

fresh
c=$(forge_import 'recs[-1]["id"] = "R-zzzzzzzzzzzzzzzz"')
verify_fails "$c" "record R-zzzzzzzzzzzzzzzz has an id that is not derived from the record"
same_threads 1
ok "a record id not derived from the record"

fresh
c=$(forge_import 'recs[0]["subject"] = "Osian Tudor 1995-11-15"')
verify_fails "$c" "names its subject as something other than a pseudonym"
same_threads 1
ok "a raw name in subject"

fresh
c=$(forge_import 'recs[0]["officer"] = "PC 1234"')
verify_fails "$c" "gives an officer that is not a pseudonym (O- and 16 base32 characters), though the policy pseudonymises officers"
same_threads 1
ok "a raw officer number where the policy pseudonymises officers"

fresh
gitx show "main:$pop_path" | sed '1s/,"type":/, "type":/' >"$T/pop.jsonl"
gitx show "main:months/$MONTH/sources.json" >"$T/sources.json"
message "$T/msg" import "import: $NEXT" "Ssaudit-Month: $NEXT" "Ssaudit-Role: coordinator"
c=$(forge main coord coord coord "$T/msg" "months/$NEXT/population.jsonl" "$T/pop.jsonl" \
	"months/$NEXT/sources.json" "$T/sources.json")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "is not written as a record is stored (one line of compact JSON, its keys in order)"
out_has "months/$NEXT/population.jsonl:1"
ok "a record not in compact JSON"

# Identical records: ids from the same row, its first and second occurrence
# (DESIGN.md section 3), derived again as the population streams.
IDS_PY='
import base64, hashlib
def row_id(r, occ):
    row = json.dumps({k: v for k, v in r.items() if k != "id"}, separators=(",", ":"),
                     ensure_ascii=False).encode()
    d = hashlib.sha256(b"ssaudit-id-v1\0row\0" + row + b"\0" + str(occ).encode()).digest()
    return "R-" + base64.b32encode(d[:10]).decode().lower()
'
fresh
c=$(forge_import "$IDS_PY
twin = dict(recs[0]); twin['reference'] = None; recs[0]['reference'] = None
recs[0]['id'] = row_id(recs[0], 1); twin['id'] = row_id(twin, 2); recs.append(twin)")
expect 0 verify
same_threads 0
ok "two identical records, ids of their first and second occurrence, verify"

fresh
c=$(forge_import "$IDS_PY
twin = dict(recs[0]); twin['reference'] = None; recs[0]['reference'] = None
recs[0]['id'] = row_id(recs[0], 1); twin['id'] = row_id(twin, 3); recs.append(twin)")
verify_fails "$c" "has an id that is not derived from the record"
ok "an identical record's id skipping an occurrence"

fresh
c=$(forge_import 'recs[0]["reference"] = "DUP/1"; recs[1]["reference"] = "DUP/1"')
verify_fails "$c" "the records' ids cannot be derived"
out_has 'the reference "DUP/1" is used again'
same_threads 1
ok "a reference used by two records"
