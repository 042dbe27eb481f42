import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { childExecArgv } from './exec-argv.js';

describe('childExecArgv', () => {
  it('keeps loaders and nothing else (never an inline script)', () => {
    assert.deepEqual(childExecArgv(['--import', 'tsx', '--input-type=module', '-e', 'run()', '--test-reporter=tap', '--cpu-prof']), ['--import', 'tsx']);
    assert.deepEqual(childExecArgv(['--require=./hook.cjs', '--eval', 'x', '-r', 'y', '--loader=z']), ['--require=./hook.cjs', '-r', 'y', '--loader=z']);
  });
});
