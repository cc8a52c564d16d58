// The executables a lab puts first on PATH. Each is a tiny bash script that sends its argv, working
// directory and (for `-f -`) stdin to the lab server over a loopback TCP connection (bash's
// /dev/tcp, so no process is started to connect) and prints the answer. A per-session token
// keeps other local processes out.

export interface ShimTarget {
  dir: string;
  port: number;
  token: string;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The shim for one tool (`kubectl`, `istioctl`, `sleep`, or in-pod `curl`/`hostname`). */
export function shimScript(tool: string, t: ShimTarget): string {
  return `#!/bin/bash
# meshsim lab: forwards \`${tool}\` to the simulated clusters.
d=${quote(t.dir)}
in=-
for a in "$@"; do case "$a" in -|-f-|--filename=-) in="$d/io/in.$$"; cat > "$in"; break;; esac; done
exec 3<>/dev/tcp/127.0.0.1/${t.port} || { echo "meshsim: the lab session has ended" >&2; exit 1; }
printf '%s\\0' ${quote(t.token)} ${quote(tool)} "$PWD" "\${MESHSIM_LAB_POD-}" "$in" "$#" "$@" >&3
read -r kind a b c <&3
if [ "$kind" = D ]; then
  mapfile -d '' -t cmd <&3
  exec 3<&-
  PATH="$d/pod:$PATH" MESHSIM_LAB_POD="$a" "\${cmd[@]}"
  rc=$?
  [ $rc -ne 0 ] && echo "command terminated with exit code $rc" >&2
  exit $rc
fi
if [ "$c" != - ]; then cat "$c" >&2; rm -f "$c"; fi
cat <&3
exec 3<&-
[ "$in" != - ] && rm -f "$in"
if [ "$b" != - ]; then cat "$b" >&2; rm -f "$b"; fi
exit "$a"
`;
}

/** Tools on the lab's PATH, and those only inside `kubectl exec ... sh -c`. */
export const LAB_TOOLS = ['kubectl', 'istioctl', 'sleep'];
export const POD_TOOLS = ['curl', 'hostname'];
