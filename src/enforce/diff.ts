/**
 * A unified line diff (LCS) of two texts, for showing policy changes before they are made. Bucket
 * policies are at most 20 KB (a few hundred pretty-printed lines), so the quadratic table is small.
 */
export function lineDiff(before: string, after: string, context = 3): string {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  const ops = diffOps(a, b);
  const changed = ops.map((o) => o.kind !== ' ');
  if (!changed.some(Boolean)) return '';
  const keep = ops.map((_, i) => {
    for (let j = Math.max(0, i - context); j <= Math.min(ops.length - 1, i + context); j++)
      if (changed[j]) return true;
    return false;
  });
  const out: string[] = [];
  let skipping = false;
  for (const [i, o] of ops.entries()) {
    if (!keep[i]) {
      if (!skipping) out.push('@@ ... @@');
      skipping = true;
      continue;
    }
    skipping = false;
    out.push(`${o.kind} ${o.line}`);
  }
  return out.join('\n');
}

interface Op {
  readonly kind: ' ' | '-' | '+';
  readonly line: string;
}

function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ kind: '-', line: a[i++]! });
    else ops.push({ kind: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}
