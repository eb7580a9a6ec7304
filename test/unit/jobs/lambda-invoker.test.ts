import { describe, expect, it } from 'vitest';
import { outcomeFromResponse } from '../../../src/jobs/local/lambda-invoker.js';

const response = (extra: Record<string, unknown>) => ({
  invocationSchemaVersion: '2.0',
  invocationId: 'inv',
  ...extra,
});

describe('outcomeFromResponse', () => {
  it.each([
    [
      'a Succeeded result',
      response({ results: [{ taskId: 't', resultCode: 'Succeeded', resultString: '{"r":"skip"}' }] }),
      { code: 'Succeeded', message: '{"r":"skip"}' },
    ],
    [
      'a PermanentFailure result',
      response({ results: [{ taskId: 't', resultCode: 'PermanentFailure', resultString: 'denied' }] }),
      { code: 'PermanentFailure', message: 'denied' },
    ],
    [
      'a result without resultString',
      response({ results: [{ taskId: 't', resultCode: 'Succeeded' }] }),
      { code: 'Succeeded', message: '' },
    ],
    [
      'only another task answered, treatMissingKeysAs absent',
      response({ results: [{ taskId: 'other', resultCode: 'Succeeded' }] }),
      { code: 'TemporaryFailure', message: 'No result for task t in Lambda payload' },
    ],
    [
      'an unknown resultCode',
      response({ results: [{ taskId: 't', resultCode: 'Done' }] }),
      { code: 'PermanentFailure', message: 'Invalid resultCode "Done" returned in Lambda payload' },
    ],
    [
      'an unknown treatMissingKeysAs',
      response({ results: [], treatMissingKeysAs: 'Maybe' }),
      { code: 'PermanentFailure', message: 'Invalid treatMissingKeysAs "Maybe" returned in Lambda payload' },
    ],
    [
      'no results array',
      response({}),
      {
        code: 'PermanentFailure',
        message: expect.stringMatching(/^Invalid JSON returned in Lambda payload/),
      },
    ],
    ['undefined', undefined, { code: 'PermanentFailure', message: expect.stringMatching(/^Invalid JSON/) }],
  ])('reads %s', (_case, answer, expected) => {
    // Act
    const outcome = outcomeFromResponse(answer, 't');
    // Assess
    expect(outcome).toEqual(expected);
  });
});
