// Order statistics without a full sort: a step's summary and each sweep replication ask three
// percentiles of up to 100,000 latency samples, and sorting them all was about 5% of a
// replication's time where selecting the six ranks those percentiles read takes a quarter of it.

/**
 * Moves the sample of rank `k` (0-based, ascending) among `a[left..right]` to `a[k]`, every sample
 * before it in that range no greater and every one after it no smaller. Hoare partitioning around
 * a median of three; past a few dozen rounds (inputs that defeat the pivot choice) the rest of
 * the range is sorted instead, so the worst case stays O(n log n). Values must not be NaN.
 */
export function selectRank(a: Float64Array, k: number, left: number, right: number): void {
  let rounds = 2 * Math.ceil(Math.log2(right - left + 2)) + 8;
  while (left < right) {
    if (rounds-- === 0) {
      a.subarray(left, right + 1).sort();
      return;
    }
    const pivot = medianOfThree(a[left], a[(left + right) >>> 1], a[right]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    // [left..j] ≤ pivot ≤ [i..right], and what lies between j and i equals the pivot.
    if (j < k) left = i;
    if (k < i) right = j;
  }
}

function medianOfThree(x: number, y: number, z: number): number {
  if (x < y) return y < z ? y : x < z ? z : x;
  return x < z ? x : y < z ? z : y;
}
