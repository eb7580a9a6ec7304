/**
 * Object-key encoding at the Batch boundary. Batch manifests and events carry URL-encoded keys, and
 * AWS's own examples decode them form-style (`+` = space; aws-facts §1.4). Encoding keeps `/` readable
 * and writes `%2B` for a literal `+`, so a key survives the round trip exactly.
 */
export const decodeKey = (encoded: string): string => decodeURIComponent(encoded.replace(/\+/g, '%20'));

// ASCII characters that stay as they are: encodeURIComponent's unreserved set less !'()* (which it
// leaves alone but S3's own encoders escape), plus `/`.
const KEPT = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/')
  KEPT[c.charCodeAt(0)] = 1;
const ESCAPED = Array.from({ length: 128 }, (_, c) => `%${c.toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * Same result as `encodeURIComponent(key)` with `%2F` turned back into `/` and `!'()*` escaped, in one
 * pass: the trigger encodes a key for every manifest row. Runs of non-ASCII characters go through
 * encodeURIComponent (UTF-8 bytes; a lone surrogate throws URIError as it always did).
 */
export function encodeKey(key: string): string {
  let out = '';
  let kept = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 128) {
      if (KEPT[c] === 1) continue;
      out += key.slice(kept, i) + ESCAPED[c];
      kept = i + 1;
    } else {
      let j = i + 1;
      while (j < key.length && key.charCodeAt(j) >= 128) j++;
      out += key.slice(kept, i) + encodeURIComponent(key.slice(i, j));
      kept = j;
      i = j - 1;
    }
  }
  return kept === 0 ? key : out + key.slice(kept);
}

/** Bucket name from a schema-1.0 `s3BucketArn`: the text after the last `:` (covers both doc forms). */
export const bucketFromArn = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);
