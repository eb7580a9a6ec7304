/**
 * Worker-thread entry (bundled on its own as `summarise-worker.js`): summarises the result files the
 * reading thread streams to it, one at a time, and answers with the summariser's state. See workers.ts.
 */
import { parentPort } from 'node:worker_threads';
import { ResultFileReader } from './read.js';
import { Summariser } from './summariser.js';
import { type FromWorker, serialiseError, type ToWorker } from './worker-protocol.js';

interface Current {
  readonly reader: ResultFileReader;
  readonly summariser: Summariser;
  retry: boolean;
}

const port = parentPort;
if (!port) throw new Error('summarise-worker.js runs as a worker thread only');
let current: Current | undefined;
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'file') {
      const summariser = new Summariser(m.options);
      const c: Current = {
        summariser,
        retry: false,
        reader: new ResultFileReader(m.file, m.key, (row, context) => {
          if (summariser.add(row, context)) c.retry = true;
        }),
      };
      current = c;
    } else if (m.type === 'chunk') {
      // After a failure the rest of that file's chunks are dropped until the next file.
      current?.reader.push(m.bytes);
      post({ type: 'ack' });
    } else if (current) {
      const rows = current.reader.end();
      post({ type: 'done', rows, retry: current.retry, state: current.summariser.state() });
      current = undefined;
    }
  } catch (error) {
    current = undefined;
    post({ type: 'error', error: serialiseError(error) });
  }
});
