/** Percentiles of one set of latencies, in milliseconds; null where the value is unknown. */
export type Distribution = {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
};

/**
 * Nearest-rank percentiles of `values`. `missing` counts samples whose value is unknown but
 * known to be larger than every value given (events not processed when the wait ended): a
 * percentile that falls among them is null ("more than the wait"), never a flattering guess.
 */
export function distribution(values: number[], missing = 0): Distribution {
  const sorted = Float64Array.from(values).sort();
  const total = sorted.length + missing;
  const at = (fraction: number): number | null => {
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil(fraction * total));
    return rank <= sorted.length ? round(sorted[rank - 1]!) : null;
  };
  return {
    count: total,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: missing > 0 ? null : at(1),
  };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
