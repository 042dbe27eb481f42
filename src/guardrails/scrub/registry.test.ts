import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../errors.js';
import { OPERATOR_NAMES, parseOperatorAssignments, parseOperatorMap, parseOperatorSpec } from './registry.js';

const ctx = { entity: 'US_SSN', tenant: 't' };

describe('scrub operator registry', () => {
  it('lists the built-in operators', () => {
    assert.deepEqual([...OPERATOR_NAMES].sort(), ['encrypt', 'hash', 'mask', 'redact', 'replace', 'tokenize']);
  });

  it('parses a spec once into something applicable', () => {
    const spec = parseOperatorSpec('mask:2');
    assert.equal(spec.name, 'mask');
    assert.equal(spec.source, 'mask:2');
    assert.equal(spec.apply('078-05-1120', ctx), '***-**-**20');
    assert.equal(parseOperatorSpec('replace:[REDACTED]:x').apply('v', ctx), '[REDACTED]:x');
  });

  it('names the known operators when the name is unknown', () => {
    assert.throws(
      () => parseOperatorSpec('blur:3'),
      (e: unknown) => e instanceof InvalidInputError && /unknown scrub operator "blur"/.test(e.message) && OPERATOR_NAMES.every((n) => e.message.includes(n)),
    );
  });

  it('fails at parse time on bad parameters', () => {
    assert.throws(() => parseOperatorSpec('mask:x'), InvalidInputError);
    assert.throws(() => parseOperatorSpec('redact:1'), InvalidInputError);
  });

  it('parses ENTITY=spec command-line arguments', () => {
    const ops = parseOperatorAssignments(['US_SSN=mask:4', 'EMAIL_ADDRESS=replace:a=b']);
    assert.equal(ops.US_SSN!.apply('078-05-1120', ctx), '***-**-1120');
    assert.equal(ops.EMAIL_ADDRESS!.apply('x', ctx), 'a=b');
    for (const bad of [['mask:4'], ['=mask'], ['US SSN=mask'], ['US_SSN=mask', 'US_SSN=hash'], ['US_SSN=nope']]) {
      assert.throws(() => parseOperatorAssignments(bad), InvalidInputError, bad.join(' '));
    }
  });

  it('parses a policy map and says which entity is wrong', () => {
    assert.equal(parseOperatorMap({ US_SSN: 'redact' }).US_SSN!.name, 'redact');
    assert.throws(() => parseOperatorMap({ US_SSN: 'hash:3' }), /operator for US_SSN: .*hash:3/);
  });
});
