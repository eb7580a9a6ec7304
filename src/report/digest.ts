import { createHash } from 'node:crypto';
import type { ReportSummary } from './summary.js';

/** JSON with object keys sorted at every level, so equal values always serialise the same way. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Identity of a report's content: equal digests mean the same report was read again (a second event for
 * it), so no new notification. Only the report-derived summary counts; job facts may arrive by either path.
 */
export const summaryDigest = (summary: ReportSummary): string =>
  `sha256:${createHash('sha256').update(canonicalJson(summary)).digest('hex')}`;
