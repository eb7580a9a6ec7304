// The esbuild settings every bundle of this project is built with (scripts/build.mjs), shared with the
// tests that build the CLI themselves and the cold-start benchmark's SDK-only floor bundle.

// Some CommonJS dependencies call require(); ESM bundles need it defined.
export const REQUIRE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export const BUNDLE_OPTIONS = Object.freeze({
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // module-first resolution picks the ESM builds of the AWS SDK, about a third smaller.
  mainFields: ['module', 'main'],
  legalComments: 'none',
  logLevel: 'warning',
  banner: Object.freeze({ js: REQUIRE_BANNER }),
});
