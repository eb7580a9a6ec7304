/**
 * The delivery layout of S3 Inventory (aws-facts §4.1):
 * `<destination-prefix>/<source-bucket>/<config-ID>/<YYYY-MM-DDTHH-MMZ>/manifest.json`.
 * Anything else named manifest.json (a Batch completion report, a copied file) is not an inventory.
 */
export interface InventoryLocation {
  /** Destination prefix as configured, without a trailing slash ('' when none). */
  readonly destinationPrefix: string;
  readonly sourceBucket: string;
  readonly configId: string;
  /** Delivery folder name, e.g. `2016-11-06T21-32Z`. */
  readonly timestamp: string;
}

const MANIFEST_KEY = /^(?:(.*)\/)?([^/]+)\/([^/]+)\/(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z)\/manifest\.json$/;

export function parseInventoryManifestKey(key: string): InventoryLocation | undefined {
  const m = MANIFEST_KEY.exec(key);
  if (!m) return undefined;
  return { destinationPrefix: m[1] ?? '', sourceBucket: m[2]!, configId: m[3]!, timestamp: m[4]! };
}

/** Delivery folder name for a scan start time: `2016-11-06T21-32Z`. */
export const inventoryTimestamp = (d: Date): string => `${d.toISOString().slice(0, 16).replace(':', '-')}Z`;

/** Key of manifest.json for a delivery. */
export function inventoryManifestKey(loc: InventoryLocation): string {
  const prefix = loc.destinationPrefix ? `${loc.destinationPrefix.replace(/\/+$/, '')}/` : '';
  return `${prefix}${loc.sourceBucket}/${loc.configId}/${loc.timestamp}/manifest.json`;
}
