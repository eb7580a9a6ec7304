/** Plain-text helpers for human output (stdout without --json). */

/** Control characters in object keys would break the terminal and the table; show them escaped. */
export const printable = (s: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
  s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Left-aligned columns; cells longer than `maxWidth` are cut with an ellipsis. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = 60,
): string {
  const cut = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const all = [header, ...rows].map((r) => r.map((c) => cut(printable(c))));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  return all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
