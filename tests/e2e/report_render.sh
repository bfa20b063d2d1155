# A range report (three months, one of them reviewed) rendered in headless
# Chromium at 1200 and 400 pixels wide: the page never scrolls sideways at
# 400 px, nor does any table inside its own box (they reflow), and neither screenshot is
# blank. Skips without chromium.
. "$(dirname "$0")/env.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed: the HTML report was not rendered"
command -v python3 >/dev/null || skip "python3 is needed to read the screenshots"
export SSAUDIT_FSYNC=0

founder
for m in 2026-09 2026-10 2026-11; do
	"$SSAUDIT" synth --month "$m" --count 400 --seed "${m#*-}" -o "$T/$m.csv" 2>/dev/null
	expect 0 --as coord import "$m" "$T/$m.csv"
	expect 0 --as coord sample "$m" --seed "2026${m#*-}1234567890123456"
done
expect 0 --as coord reviewer add li --role local-inspector --name "Lee Inspector" \
	--email li@example.org --key "$(person li)"
n=0
for id in $("$SSAUDIT" -q list 2026-10 --role local-inspector | sed 1d | cut -d' ' -f1 | head -8); do
	g=reasonable
	[ $((n % 3)) = 0 ] && g=not-reasonable
	expect 0 --as li review 2026-10 "$id" --grounds "$g" --conduct fair --bwv viewed
	n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n records to review"

expect 0 report 2026-09..2026-11 --format html
cp "$T/out" "$T/r.html"
[ -n "${SS_KEEP_SHOTS:-}" ] && cp "$T/r.html" "$SS_KEEP_SHOTS/report-range.html"
grep -q 'id="trend"' "$T/r.html" || grep -q "Trend" "$T/r.html" || fail "the range report has no trend"
# The page's real width is measured from a wrapper page that frames the
# report at the width wanted (the report itself has no script; headless
# Chromium will not make its window narrower than 500 px, a frame can be).
probe() {
	cat >"$T/probe-$1.html" <<EOF
<!doctype html><html><body style="margin:0"><iframe id="f" src="r.html"
style="width:$1px;height:3000px;border:0"></iframe><script>
var f = document.getElementById("f");
f.onload = function () {
  var d = f.contentDocument, wide = 0, tw = d.querySelectorAll(".tw, table");
  for (var i = 0; i < tw.length; i++)
    if (tw[i].scrollWidth > tw[i].clientWidth + 1) wide++;
  document.body.setAttribute("data-tw", wide);
  document.body.setAttribute("data-sw", d.documentElement.scrollWidth);
};
</script></body></html>
EOF
}
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --hide-scrollbars --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" "$@" \
		2>/dev/null
}
for w in 1200 400; do
	probe "$w"
	win=$((w < 500 ? 500 : w))
	chrome --allow-file-access-from-files --virtual-time-budget=10000 \
		--window-size="$win,3000" --dump-dom "file://$T/probe-$w.html" >"$T/dom-$w.html" || true
	sw=$(sed -n 's/.*data-sw="\([0-9]*\)".*/\1/p' "$T/dom-$w.html" | head -1)
	[ -n "$sw" ] || fail "chromium did not lay the page out at $w px"
	[ "$sw" -le "$w" ] || fail "at $w px the page is $sw px wide: it scrolls sideways"
	tw=$(sed -n 's/.*data-tw="\([0-9]*\)".*/\1/p' "$T/dom-$w.html" | head -1)
	[ "$tw" = 0 ] || fail "at $w px $tw tables scroll sideways inside their box"
	chrome --allow-file-access-from-files --virtual-time-budget=10000 \
		--window-size="$win,3000" --screenshot="$T/shot-$w.png" "file://$T/probe-$w.html" \
		>/dev/null || true
	[ -s "$T/shot-$w.png" ] || fail "chromium made no screenshot at width $w"
	python3 - "$T/shot-$w.png" "$w" <<'EOF' || fail "the screenshot at $w px is blank or the wrong width"
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
i, idat = 8, b""
while i < len(d):
    n, = struct.unpack(">I", d[i:i + 4]); t = d[i + 4:i + 8]; c = d[i + 8:i + 8 + n]; i += 12 + n
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", c[:10])
    elif t == b"IDAT":
        idat += c
assert w == max(500, int(sys.argv[2])), (w, sys.argv[2])
raw = zlib.decompress(idat)
# not one colour: the first byte of each row is the filter, the rest pixels
assert len(set(raw[1:w * 3])) > 1 or len(set(raw)) > 8, "blank"
EOF
	[ -n "${SS_KEEP_SHOTS:-}" ] && cp "$T/shot-$w.png" "$SS_KEEP_SHOTS/report-range-$w.png"
done
ok "a three-month report renders in Chromium at 1200 and 400 px, no sideways scroll at 400 px"
