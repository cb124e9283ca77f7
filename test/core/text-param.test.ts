import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { normalizeParam, type TextParamSpec } from '../../sim/core/params.ts';

const spec: TextParamSpec = { kind: 'text', label: 'Command', default: 'ssh host', maxLength: 40, help: '' };

describe('text parameters', () => {
  test('any one-line text within the length is taken as it is', () => {
    expect(normalizeParam('cmd', spec, 'ssh -L 5901:localhost:5900 me@host', 'x')).toEqual({ value: 'ssh -L 5901:localhost:5900 me@host' });
    expect(normalizeParam('cmd', spec, '', 'x')).toEqual({ value: '' });
  });

  test('a pasted newline or control character becomes a space, and long text is cut with a note', () => {
    expect(normalizeParam('cmd', spec, 'ssh\nhost\t-N', 'x').value).toBe('ssh host -N');
    const long = normalizeParam('cmd', spec, 'y'.repeat(50), 'x');
    expect(long.value).toBe('y'.repeat(40));
    expect(long.problem).toBe('cmd is longer than 40 characters; the rest was cut');
  });

  test('never throws, and always gives one line within the length', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.integer(), fc.constant(undefined)), (raw) => {
        const { value } = normalizeParam('cmd', spec, raw, 'x');
        return typeof value === 'string' && value.length <= 40 && !/[\u0000-\u001f\u007f]/.test(value);
      }),
    );
  });
});
