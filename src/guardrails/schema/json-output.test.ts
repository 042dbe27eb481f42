import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../errors.js';
import { parseJsonOutput } from './json-output.js';

describe('parseJsonOutput', () => {
  const accepted: Array<[string, string, unknown]> = [
    ['plain JSON', '{"a": 1}', { a: 1 }],
    ['surrounding white space and a BOM', '\uFEFF  \n[1, 2]\n ', [1, 2]],
    ['a bare literal', 'true', true],
    ['a ```json fence', '```json\n{"a": [1, 2]}\n```', { a: [1, 2] }],
    ['a fence with prose around it', 'Here is the result:\n\n```JSON\n{"ok": true}\n```\nLet me know!', { ok: true }],
    ['an unlabelled fence', '```\n{"ok": 1}\n```', { ok: 1 }],
    ['the json fence among others', '```python\nprint(1)\n```\n```json\n{"n": 2}\n```', { n: 2 }],
    ['an indented fence', 'Result:\n  ```json\n  {"n": 3}\n  ```', { n: 3 }],
  ];
  for (const [name, text, want] of accepted) it(`accepts ${name}`, () => assert.deepEqual(parseJsonOutput(text), want));

  const rejected: Array<[string, string, RegExp]> = [
    ['empty output', '  ', /empty; expected JSON/],
    ['prose', 'Sure! The patient is John Smith.', /not JSON and holds no ```json fenced block/],
    ['broken JSON', '{"a": 1,\n "b": }', /not valid JSON: unexpected character "}"/],
    ['a missing comma', '{"a": 1\n "b": 2}', /not valid JSON: Expected ',' or '}' after property value at line 2, column 2/],
    ['truncated JSON', '{"a": [1, 2', /not valid JSON: .*line 1, column 12/],
    ['an unclosed fence', 'Here:\n```json\n{"a": 1}', /never closes it/],
    ['a broken fenced block', '```json\n{"a" 1}\n```', /```json block in the model output is not valid JSON: Expected ':' after property name at line 1, column 6/],
  ];
  for (const [name, text, message] of rejected) {
    it(`rejects ${name} with InvalidInputError`, () => {
      assert.throws(() => parseJsonOutput(text), (e: unknown) => e instanceof InvalidInputError && message.test(e.message));
    });
  }

  it('does not quote the output in its errors (it may hold PHI)', () => {
    for (const text of ['Patient John Smith, MRN 99812', '{"name": "John Smith" "mrn": 99812}', '```json\n{"name": "John Smith",}\n```']) {
      assert.throws(
        () => parseJsonOutput(text),
        (e: unknown) => e instanceof InvalidInputError && !e.message.includes('John') && !e.message.includes('99812'),
      );
    }
  });
});
