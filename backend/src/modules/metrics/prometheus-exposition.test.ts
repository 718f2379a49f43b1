import { describe, expect, it } from 'vitest';
import { parseExposition, sumOf } from './prometheus-exposition.js';

describe('parseExposition (the strict reader the /metrics tests rely on)', () => {
  it('reads counters, labels with escapes, histograms and special values', () => {
    const samples = parseExposition(
      [
        '# HELP jobs_total Jobs.',
        '# TYPE jobs_total counter',
        'jobs_total{queue="a",why="say \\"hi\\"\\\\\\n"} 3',
        'jobs_total{queue="b"} 4e0',
        '# TYPE lag_seconds histogram',
        'lag_seconds_bucket{le="0.5"} 1',
        'lag_seconds_bucket{le="+Inf"} 2',
        'lag_seconds_sum 0.75',
        'lag_seconds_count 2',
        '# a comment, ignored',
        '# TYPE mean gauge',
        'mean Nan',
        '',
      ].join('\n'),
    );
    expect(sumOf(samples, 'jobs_total')).toBe(7);
    expect(samples[0]!.labels['why']).toBe('say "hi"\\\n');
    expect(sumOf(samples, 'lag_seconds_count')).toBe(2);
    expect(samples.find((sample) => sample.name === 'mean')!.value).toBeNaN();
  });

  it.each([
    ['a sample without a TYPE before it', 'orphan 1\n'],
    ['an unquoted label value', '# TYPE x gauge\nx{a=b} 1\n'],
    ['a value that is not a number', '# TYPE x gauge\nx 1,5\n'],
    ['a label given twice', '# TYPE x gauge\nx{a="1",a="2"} 1\n'],
    ['a malformed TYPE', '# TYPE x number\nx 1\n'],
    ['a missing final line feed', '# TYPE x gauge\nx 1'],
    ['a second TYPE of one family', '# TYPE x gauge\n# TYPE x counter\n'],
  ])('refuses %s', (_case, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
