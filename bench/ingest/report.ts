import type { CpuUsage } from './cpu.js';
import type { LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import { round, type Distribution } from '../shared/stats.js';
import type { StorageResult } from './storage.js';

/** One server under one phase. */
export type ServerRun = {
  load: LoadResult;
  storage: StorageResult | null;
  cpu: CpuUsage | null;
  costs?: CpuCosts;
};

/** CPU time per unit of work while the load ran, in ms of one core. */
export type CpuCosts = {
  /** The server's process(es) per delivery answered. */
  serverMsPerRequest: number | null;
  /** Split roles only: the api process per delivery answered, the worker per event finished. */
  apiMsPerRequest?: number | null;
  workerMsPerEvent?: number | null;
};

/** Derives CpuCosts from a phase's CPU percentages (of one core) and what got done. */
export function cpuCosts(run: Omit<ServerRun, 'costs'>, server: string): CpuCosts | undefined {
  const { cpu, load, storage } = run;
  if (!cpu) return undefined;
  const answered = Object.values(load.statuses).reduce((sum, n) => sum + n, 0);
  const msOf = (percent: number | undefined, units: number) =>
    percent === undefined || units === 0 ? null : round((percent * cpu.seconds * 10) / units);
  const costs: CpuCosts = { serverMsPerRequest: msOf(cpu.byGroup[server], answered) };
  if (server === 'omni' && cpu.byGroup['omni:api'] !== undefined) {
    costs.apiMsPerRequest = msOf(cpu.byGroup['omni:api'], answered);
    costs.workerMsPerEvent = msOf(cpu.byGroup['omni:worker'], storage?.processedDuringLoad ?? 0);
  }
  return costs;
}

export type PhaseResults = { baseline: ServerRun | null; omni: ServerRun };

export type BenchResults = {
  benchmark: 'omni-ingest';
  date: string;
  commit: string | null;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    postgres: string;
    redis: string;
    /** Percent of one core in use by others in the 2 s before the benchmark started. */
    busyBeforeStart: number | null;
  };
  options: Omit<BenchOptions, 'databaseServerUrl' | 'redisUrl' | 'resultsDir'>;
  fixedRate: PhaseResults;
  saturation: PhaseResults;
  omniExit: {
    code: number | null;
    warnings: number;
    errors: number;
    /** Log lines at warn and above by message (and error type). */
    byKind: Record<string, number>;
    lastNotable: string[];
  };
  target: {
    eventsPerS: number;
    p99AckMs: number;
    /** Saturation: the api accepted at least eventsPerS. */
    capacityMet: boolean;
    /** Fixed rate at eventsPerS offered: p99 acknowledgement under p99AckMs, all 200. */
    latencyAtTargetMet: boolean;
    /** The worker stored messages at least as fast as the target. */
    workerKeptUp: boolean;
    met: boolean;
  };
};

/** Percent of one core used by processes outside the benchmark that makes a phase suspect. */
export const OTHER_CPU_WARNING = 15;

export const TARGET = { eventsPerS: 1000, p99AckMs: 50 } as const;

export function evaluateTarget(
  fixedRate: PhaseResults,
  saturation: PhaseResults,
  rate: number,
): BenchResults['target'] {
  const capacityMet = saturation.omni.load.acceptedEventsPerS >= TARGET.eventsPerS;
  const fixed = fixedRate.omni.load;
  const answered = Object.values(fixed.statuses).reduce((sum, n) => sum + n, 0);
  const latencyAtTargetMet =
    rate >= TARGET.eventsPerS &&
    fixed.errors === 0 &&
    (fixed.statuses['200'] ?? 0) === answered &&
    fixed.ackLatencyMs.p99 !== null &&
    fixed.ackLatencyMs.p99 < TARGET.p99AckMs;
  const worker = saturation.omni.storage?.workerEventsPerS ?? 0;
  const workerKeptUp = worker >= TARGET.eventsPerS;
  return {
    ...TARGET,
    capacityMet,
    latencyAtTargetMet,
    workerKeptUp,
    met: capacityMet && latencyAtTargetMet && workerKeptUp,
  };
}

const int = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US');

const ms = (value: number | null) => {
  if (value === null) return '>wait';
  return value < 10
    ? value.toFixed(2)
    : value < 100
      ? value.toFixed(1)
      : Math.round(value).toString();
};

const triple = (d: Distribution | null | undefined) =>
  d ? `${ms(d.p50)} / ${ms(d.p99)} / ${d.max === null ? '>wait' : ms(d.max)}` : '—';

const drain = (storage: StorageResult) => {
  if (storage.drainS !== null) return storage.drainS.toFixed(1);
  if (storage.estimatedDrainS !== null) return `~${storage.estimatedDrainS} (est.)`;
  return 'not drained';
};

const failures = (load: LoadResult) => {
  const other = Object.entries(load.statuses)
    .filter(([status]) => status !== '200')
    .reduce((sum, [, n]) => sum + n, 0);
  return `${other} / ${load.errors}`;
};

const cpu = (run: ServerRun, server: string) => {
  if (!run.cpu) return '—';
  const { byGroup, machineBusy } = run.cpu;
  const parts = [server, 'postgres', 'redis', 'bench', 'other'].map((name) => byGroup[name] ?? 0);
  return `${parts.join(' / ')} (${machineBusy})`;
};

/** The table printed at the end of a run (and pasted into the README). */
export function formatTable(results: BenchResults): string {
  const { options } = results;
  const lines: string[] = [];
  const row = (label: string, baseline: string, omni: string) =>
    lines.push(`  ${label.padEnd(44)}${baseline.padStart(20)}${omni.padStart(24)}`);
  const phase = (title: string, results: PhaseResults) => {
    const { baseline, omni } = results;
    lines.push('', title);
    row('', 'bare Koa', 'Omni');
    row(
      'accepted events/s (slowest second)',
      baseline
        ? `${int(baseline.load.acceptedEventsPerS)} (${int(baseline.load.slowestSecondEvents)})`
        : '—',
      `${int(omni.load.acceptedEventsPerS)} (${int(omni.load.slowestSecondEvents)})`,
    );
    row(
      'ack latency p50 / p99 / max, ms',
      baseline ? triple(baseline.load.ackLatencyMs) : '—',
      triple(omni.load.ackLatencyMs),
    );
    row('non-200 / no answer', baseline ? failures(baseline.load) : '—', failures(omni.load));
    const storage = omni.storage;
    row('POST → processed p50 / p99 / max, ms', '', triple(storage?.toProcessedMs));
    row('POST → visible p50 / p99 / max, ms (sample)', '', triple(storage?.toVisibleMs));
    row(
      'stored / processed / messages / dupes',
      '',
      storage
        ? `${int(storage.eventsStored)} / ${int(storage.eventsProcessed)} / ${int(storage.messages)} / ${storage.duplicateMessages}`
        : '—',
    );
    row('worker events/s', '', int(storage?.workerEventsPerS));
    row(
      'backlog at load end / drain after, s',
      '',
      storage ? `${int(storage.backlogAtLoadEnd)} / ${drain(storage)}` : '—',
    );
    const costs = (run: ServerRun | null) => {
      const c = run?.costs;
      if (!c) return '—';
      const parts = [`${c.serverMsPerRequest ?? '—'}`];
      if (c.apiMsPerRequest !== undefined)
        parts.push(`api ${c.apiMsPerRequest ?? '—'}`, `worker/event ${c.workerMsPerEvent ?? '—'}`);
      return parts.join(', ');
    };
    row('CPU ms per request (split: api, worker/event)', costs(baseline), costs(omni));
    row(
      'CPU % srv / pg / redis / bench / other (all)',
      baseline ? cpu(baseline, 'bare-koa') : '—',
      cpu(omni, 'omni'),
    );
  };
  const { machine } = results;
  lines.push(
    `Omni ingestion benchmark, ${results.date}${results.commit ? ` (${results.commit.slice(0, 10)})` : ''}`,
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}, Redis ${machine.redis}`,
    `Omni: roles=${options.roles}, LOG_LEVEL=${options.logLevel}; ${options.eventsPerDelivery} event(s) per delivery; ${options.visitors} visitors; ${options.connections} connections`,
    `Build: ${options.backendDist}; CPU in use by others before the start: ${machine.busyBeforeStart ?? '?'} % of one core`,
  );
  phase(
    `Fixed rate: ${int(options.rate)} events/s offered for ${options.rateDuration} s (open loop)`,
    results.fixedRate,
  );
  phase(
    `Saturation: ${options.connections} connections for ${options.duration} s (closed loop)`,
    results.saturation,
  );
  const busyElsewhere = [
    ['fixed rate, bare Koa', results.fixedRate.baseline],
    ['fixed rate, Omni', results.fixedRate.omni],
    ['saturation, bare Koa', results.saturation.baseline],
    ['saturation, Omni', results.saturation.omni],
  ].flatMap(([label, run]) => {
    const other = (run as ServerRun | null)?.cpu?.byGroup['other'] ?? 0;
    return other >= OTHER_CPU_WARNING ? [`${label as string} (${other} %)`] : [];
  });
  if (busyElsewhere.length > 0) {
    lines.push(
      '',
      `WARNING: other processes used the CPU during ${busyElsewhere.join(', ')}: those figures are pessimistic.`,
    );
  }
  const { target } = results;
  const mark = (ok: boolean) => (ok ? 'yes' : 'NO');
  lines.push(
    '',
    `Target ≥ ${target.eventsPerS} events/s with p99 ack < ${target.p99AckMs} ms: ${target.met ? 'MET' : 'MISSED'}`,
    `  api accepts ≥ ${target.eventsPerS}/s at saturation: ${mark(target.capacityMet)}; p99 ack < ${target.p99AckMs} ms at ${int(options.rate)}/s: ${mark(target.latencyAtTargetMet)}; worker stores ≥ ${target.eventsPerS}/s: ${mark(target.workerKeptUp)}`,
    `Omni exit code on SIGTERM: ${results.omniExit.code}; log lines at warn: ${results.omniExit.warnings}, error: ${results.omniExit.errors}`,
    ...Object.entries(results.omniExit.byKind).map(([kind, n]) => `  ${n} × ${kind}`),
  );
  return lines.join('\n');
}
