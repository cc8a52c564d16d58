// Reads Go-style command-line flags (`-text=hi`, `-text hi`, `--port 80`) from container args.

export function flagValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const bare = a.replace(/^--?/, '');
    if (bare === a) continue;
    if (bare.startsWith(`${name}=`)) return bare.slice(name.length + 1);
    if (bare === name && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

/** `:5678`, `0.0.0.0:8080` or `8080` → 8080. */
export function portOfListen(listen: string | undefined): number | undefined {
  if (!listen) return undefined;
  const m = /(\d+)$/.exec(listen);
  return m ? Number(m[1]) : undefined;
}
