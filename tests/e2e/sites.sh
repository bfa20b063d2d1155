# Helpers for the scripts about several sites sharing one trail through a hub
# (sync.sh, sync_mesh.sh, hub_hook.sh). Builds on lib.sh.
#
#   . "$(dirname "$0")/sites.sh"
#   hub_init                    # $HUB: a bare hub; coord's trail starts it
#   site A                      # $T/A.git: a `git clone --bare` of the hub
#   at A --as amy review ...    # ssaudit on site A (output in $T/out, $T/err)
#   ssh_hub                     # sshd on 127.0.0.1 serving the hub; $SSH_URL
#   same_main A B C             # every site's main is the hub's
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HUB="$T/hub.git"

# hub_init: an empty bare hub; the founder's trail becomes its first main.
hub_init() {
	git init -q --bare --initial-branch=main "$HUB"
	git_ remote add origin "$HUB"
	expect 0 --as coord sync
}

# site NAME [URL]: a site's trail, a bare clone of the hub (or of URL).
site() { git clone -q --bare "${2:-$HUB}" "$T/$1.git"; }

# at SITE ARGS...: ssaudit on a site's trail (ss/expect semantics: see wants).
at() {
	local s=$1
	shift
	SSAUDIT_TRAIL="$T/$s.git" ss "$@"
}
# want CODE SITE ARGS...: ssaudit on a site's trail, insisting on the exit status.
want() {
	local code=$1 s=$2
	shift 2
	at "$s" "$@"
	[ "$rc" = "$code" ] || fail "on $s: ssaudit $* exited $rc, wanted $code; stderr: $(cat "$T/err")"
}

main_of() { git --git-dir "$1" rev-parse main; }

# same_main SITE...: every site's main equals the hub's.
same_main() {
	local h s
	h=$(main_of "$HUB")
	for s in "$@"; do
		[ "$(main_of "$T/$s.git")" = "$h" ] || fail "site $s is not on the hub's main"
	done
}

# hub_verified: ssaudit verify and stock git (every commit, merges too) agree the hub holds.
hub_verified() {
	SSAUDIT_TRAIL=$HUB expect 0 verify
	SSAUDIT_TRAIL=$HUB verify_all_with_git >/dev/null
}

# ssh_hub: start sshd on 127.0.0.1 with its own host key, a temporary
# authorized_keys and a free port, serving this machine's files (the hub);
# sets SSH_URL (the hub over ssh) and GIT_SSH_COMMAND; stopped at exit.
ssh_hub() {
	[ -x /usr/sbin/sshd ] || skip "needs sshd (openssh-server: make deps-optional)"
	local d="$T/ssh" port
	mkdir -p "$d" /run/sshd
	chmod 700 "$d"
	ssh-keygen -q -t ed25519 -N '' -f "$d/host" -C host
	ssh-keygen -q -t ed25519 -N '' -f "$d/client" -C client
	cp "$d/client.pub" "$d/authorized_keys"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$d/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $d/host
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
CONF
	/usr/sbin/sshd -f "$d/sshd_config" -D -e 2>"$d/sshd.log" &
	SSHD_PID=$!
	trap 'kill "$SSHD_PID" 2>/dev/null; wait "$SSHD_PID" 2>/dev/null; rm -rf "$T"' EXIT
	echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$d/host.pub")" >"$d/known_hosts"
	export GIT_SSH_COMMAND="ssh -i $d/client -p $port -o UserKnownHostsFile=$d/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes"
	SSH_URL="ssh://$(id -un)@127.0.0.1:$port$HUB"
	local i
	for i in $(seq 50); do
		git ls-remote "$SSH_URL" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "sshd did not start: $(cat "$d/sshd.log")"
}
