import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../errors.js';
import { MAX_ERRORS, compileSchema, readablePath, validateStructured } from './validate.js';

const patientSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['patient'],
  additionalProperties: false,
  properties: {
    patient: {
      type: 'object',
      required: ['name', 'contacts'],
      properties: {
        name: { type: 'string', minLength: 1 },
        email: { type: 'string', format: 'email' },
        sex: { enum: ['F', 'M', 'X'] },
        contacts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['phone'],
            properties: { phone: { type: 'string', pattern: '^\\+?[0-9 ()-]{7,}$' }, 'x-kind': { type: 'string' } },
          },
        },
      },
    },
  },
};

describe('validateStructured', () => {
  it('accepts a valid value', () => {
    const r = validateStructured(patientSchema, { patient: { name: 'A', contacts: [{ phone: '+1 555 123 4567' }] } });
    assert.deepEqual(r, { valid: true, errors: [] });
  });

  it('reports every problem with a readable path', () => {
    const r = validateStructured(patientSchema, {
      patient: { name: '', email: 'not-an-email', sex: 'Q', contacts: [{ phone: '+1 555 123 4567' }, {}, { phone: 'call me', 'x-kind': 7 }] },
      extra: true,
    });
    assert.equal(r.valid, false);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    assert.deepEqual(byPath, {
      extra: 'is not an allowed field',
      'patient.name': 'must NOT have fewer than 1 characters',
      'patient.email': 'must be a valid email',
      'patient.sex': 'must be one of "F", "M", "X"',
      'patient.contacts[1].phone': 'is required',
      'patient.contacts[2].phone': 'must match pattern "^\\+?[0-9 ()-]{7,}$"',
      'patient.contacts[2]["x-kind"]': 'must be string',
    });
  });

  it('uses an empty path for the value itself', () => {
    assert.deepEqual(validateStructured({ type: 'object' }, 3).errors, [{ path: '', message: 'must be object', keyword: 'type' }]);
  });

  it('compiles a schema once: by identity and by content', () => {
    const a = compileSchema({ type: 'integer', minimum: 1 });
    assert.equal(compileSchema({ minimum: 1, type: 'integer' }), a, 'same content, other key order, other object');
    const s = { type: 'string' };
    assert.equal(compileSchema(s), compileSchema(s));
    assert.notEqual(compileSchema({ type: 'integer', minimum: 2 }), a);
  });

  it('lets two different schemas share an $id', () => {
    assert.equal(validateStructured({ $id: 'https://example.com/x', type: 'string' }, 'a').valid, true);
    assert.equal(validateStructured({ $id: 'https://example.com/x', type: 'number' }, 'a').valid, false);
  });

  const badSchemas: Array<[string, unknown, RegExp]> = [
    ['unknown keyword', { type: 'object', requried: ['a'] }, /schema does not compile: .*unknown keyword: "requried"/],
    ['unknown format', { type: 'string', format: 'telephone' }, /schema does not compile: .*unknown format "telephone"/],
    ['bad type name', { type: 'text' }, /schema does not compile: .*type/],
    ['unresolvable $ref', { $ref: 'https://example.com/missing.json' }, /schema does not compile: .*resolve reference/],
    ['not an object', 'string', /must be an object, got string/],
    ['an array', [], /must be an object, got an array/],
  ];
  for (const [name, schema, message] of badSchemas) {
    it(`rejects a schema with ${name} (InvalidInputError)`, () => {
      assert.throws(
        () => validateStructured(schema as object, {}),
        (e: unknown) => e instanceof InvalidInputError && e.code === 'ESQ_INVALID_INPUT' && message.test(e.message),
      );
    });
  }

  it(`caps the errors at ${MAX_ERRORS} and says so`, () => {
    const r = validateStructured({ type: 'array', items: { type: 'string' } }, Array.from({ length: MAX_ERRORS + 5 }, (_, i) => i));
    assert.equal(r.errors.length, MAX_ERRORS);
    assert.equal(r.truncated, true);
    assert.equal(r.errors[7]!.path, '[7]');
  });

  it('never echoes the invalid value in its messages', () => {
    const secret = '123-45-6789';
    const r = validateStructured({ type: 'object', properties: { ssn: { type: 'integer' }, mrn: { type: 'string', maxLength: 3 } } }, { ssn: secret, mrn: secret });
    assert.equal(r.valid, false);
    for (const e of r.errors) assert.ok(!e.message.includes(secret), e.message);
  });
});

describe('readablePath', () => {
  it('joins identifiers, indices and quoted keys', () => {
    assert.equal(readablePath(['patient', 'contacts', '2', 'phone']), 'patient.contacts[2].phone');
    assert.equal(readablePath(['a.b', 'c d', '$ok']), '["a.b"]["c d"].$ok');
    assert.equal(readablePath([]), '');
  });
});
