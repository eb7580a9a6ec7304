import type { BuildOptions } from 'esbuild';

export declare const REQUIRE_BANNER: string;
export declare const BUNDLE_OPTIONS: Readonly<BuildOptions>;
