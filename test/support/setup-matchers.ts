// Registers aws-sdk-client-mock matchers under both names (toHaveReceivedCommandWith and the
// shorter toReceiveCommandWith aliases); the extend import declares their types for every test file.
import 'aws-sdk-client-mock-vitest/extend';
import { allCustomMatcherWithAliases } from 'aws-sdk-client-mock-vitest';
import { expect } from 'vitest';

expect.extend(allCustomMatcherWithAliases);
