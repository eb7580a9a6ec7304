import packageJson from '../../package.json' with { type: 'json' };
import { runCli } from './app.js';
import { commands } from './registry.js';

// The SDK's Node-version notice is for developers of this tool, not its users; it would break the
// one-line-on-stderr contract.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `s3-reencrypt verify --json | head`: a closed pipe is the reader's choice, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  // A second Ctrl-C does not wait for the walk to wind down.
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: interrupt.signal },
  commands,
  packageJson.version,
);
