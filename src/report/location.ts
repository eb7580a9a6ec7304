import { reportManifestKey } from '../jobs/port.js';

/** Where one job's completion report is, and where its summary goes (beside it). */
export interface ReportLocation {
  readonly bucket: string;
  readonly manifestKey: string;
  readonly jobId: string;
  /** The report prefix configured on the job ('' for none), without a trailing slash. */
  readonly prefix: string;
}

const MANIFEST = /^(?:(.*)\/)?job-([^/]+)\/manifest\.json$/;

/** The location of a report manifest key `<prefix>/job-<id>/manifest.json`; undefined for any other key. */
export function locationFromManifestKey(bucket: string, key: string): ReportLocation | undefined {
  const m = MANIFEST.exec(key);
  if (!m) return undefined;
  return { bucket, manifestKey: key, jobId: m[2] as string, prefix: m[1] ?? '' };
}

export function locationFor(bucket: string, prefix: string, jobId: string): ReportLocation {
  const clean = prefix.replace(/^\/+|\/+$/g, '');
  return { bucket, manifestKey: reportManifestKey(clean, jobId), jobId, prefix: clean };
}

/** A key in the report's own folder (`<prefix>/job-<id>/<name>`). */
export const besideReport = (loc: ReportLocation, name: string): string =>
  `${loc.manifestKey.slice(0, loc.manifestKey.length - 'manifest.json'.length)}${name}`;

export const summaryJsonKey = (loc: ReportLocation) => besideReport(loc, 'summary.json');
export const summaryMarkdownKey = (loc: ReportLocation) => besideReport(loc, 'summary.md');
