// How `--stats` writes its figures: durations in ms or s, counts with their noun, sizes in MiB.

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** The process's peak resident memory, every thread's included. */
export function peakRss(): string {
  return `peak RSS ${mib(process.resourceUsage().maxRSS * 1024)}`;
}
