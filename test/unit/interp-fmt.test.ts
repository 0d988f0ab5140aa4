// fmt formatting (src/core/golang/interp/fmt.ts) against outputs captured from the real fmt (Go 1.19).
import { strict as assert } from 'node:assert';
import { sprint, sprintf, sprintln, durationString } from '../../src/core/golang/interp/fmt';
import { ArrayVal, GoDuration, GoFloat, SliceVal, type Value } from '../../src/core/golang/interp/values';

const f = (x: number): GoFloat => new GoFloat(x);
const ints = (...xs: number[]): SliceVal => new SliceVal(xs, 0, xs.length, xs.length, { k: 'name', name: 'int' });
const bytes = (...xs: number[]): SliceVal => new SliceVal(xs, 0, xs.length, xs.length, { k: 'name', name: 'byte' });
const strs = (...xs: string[]): SliceVal => new SliceVal(xs, 0, xs.length, xs.length, { k: 'name', name: 'string' });

describe('fmt formatting (compared with real Go output)', () => {
  it('floats: %v %g %.3g %6.2f %e %8.3e', () => {
    const want: [number, string][] = [
      [0, '0|0|0|  0.00|0.000000e+00|0.000e+00'],
      [1, '1|1|1|  1.00|1.000000e+00|1.000e+00'],
      [-1.5, '-1.5|-1.5|-1.5| -1.50|-1.500000e+00|-1.500e+00'],
      [0.1, '0.1|0.1|0.1|  0.10|1.000000e-01|1.000e-01'],
      [1e6, '1e+06|1e+06|1e+06|1000000.00|1.000000e+06|1.000e+06'],
      [123456, '123456|123456|1.23e+05|123456.00|1.234560e+05|1.235e+05'],
      [1234567, '1.234567e+06|1.234567e+06|1.23e+06|1234567.00|1.234567e+06|1.235e+06'],
      [1e-4, '0.0001|0.0001|0.0001|  0.00|1.000000e-04|1.000e-04'],
      [1e-5, '1e-05|1e-05|1e-05|  0.00|1.000000e-05|1.000e-05'],
      [2 / 3, '0.6666666666666666|0.6666666666666666|0.667|  0.67|6.666667e-01|6.667e-01'],
      [100, '100|100|100|100.00|1.000000e+02|1.000e+02'],
    ];
    for (const [x, out] of want) assert.equal(sprintf('%v|%g|%.3g|%6.2f|%e|%8.3e', [f(x), f(x), f(x), f(x), f(x), f(x)]), out, String(x));
  });

  it('flags, widths and the other verbs', () => {
    assert.equal(sprintf('%5t|%-7v|%3c|%08.3f|%+.1f|% d|%x|%X|%o|%#o', [true, 'ab', 122, f(-3.14159), f(2), 5, 'Go', 3054, 8, 8]), ' true|ab     |  z|-003.142|+2.0| 5|476f|BEE|10|010');
    assert.equal(sprintf('%s|%v|%d|%v', [strs('a', 'b'), bytes(104, 105), ints(1, 2), new ArrayVal([0, 0, 0], { k: 'name', name: 'int' })]), '[a b]|[104 105]|[1 2]|[0 0 0]');
    assert.equal(sprintf('%6.2v|%.1s|%q|%v|%v', ['hello', 'hello', 97, new GoDuration(1.5e6), new GoDuration(90 * 6e10)]), '    he|h|\'a\'|1.5ms|1h30m0s');
  });

  it('missing and extra operands, bad verbs', () => {
    assert.equal(sprintf('%d %d', [1]), '1 %!d(MISSING)');
    assert.equal(sprintf('%d\n', [1, 2]), '1\n%!(EXTRA int=2)');
    assert.equal(sprintf('%d %s', ['x', 5]), '%!d(string=x) %!s(int=5)');
  });

  it('Sprint puts spaces only between non-string operands; Sprintln always', () => {
    const args: Value[] = [1, 2, 'a', 3, f(4.5), 'b', 'c'];
    assert.equal(sprint(args), '1 2a3 4.5bc');
    assert.equal(sprint(['x', null, 3]), 'x<nil> 3');
    assert.equal(sprintln(['a', 1, null]), 'a 1 <nil>\n');
  });

  it('time.Duration.String', () => {
    assert.deepEqual([0, 999, 1500, 2e6, 1.5e9, 61e9, 3.6e12 + 1e9, -2e9].map(durationString), ['0s', '999ns', '1.5µs', '2ms', '1.5s', '1m1s', '1h0m1s', '-2s']);
  });
});
