import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (getconf CLK_TCK). */
const TICKS_PER_S = 100;

/** CPU used during a phase, in percent of ONE core (so a 2-core machine tops out at 200). */
export type CpuUsage = {
  /** When the meter ran (epoch ms): the phase, including answers after the last send. */
  from: number;
  to: number;
  seconds: number;
  cores: number;
  machineBusy: number;
  byGroup: Record<string, number>;
};

type Snapshot = { at: number; machine: { busy: number; total: number }; pids: Map<number, number> };

/**
 * Samples /proc before and after a phase: the whole machine, and named groups of processes
 * (Omni, the baseline, this load generator, `postgres` — the server's own processes and the
 * backends of the bench database — and `redis-server`); `other` is the rest of the machine.
 * Linux only; elsewhere it reports nothing rather than failing the run.
 */
export class CpuMeter {
  private start: Snapshot | null = null;

  constructor(private readonly groups: () => Record<string, number[]>) {}

  begin(): void {
    this.start = snapshot();
  }

  /** `foreignPostgres`: backends serving other databases (other people's tests): "other". */
  end(foreignPostgres: number[] = []): CpuUsage | null {
    const start = this.start;
    const finish = snapshot();
    if (!start || !finish) return null;
    const seconds = (finish.at - start.at) / 1000;
    const percent = (ticks: number) => Math.round((ticks / TICKS_PER_S / seconds) * 100);
    const ticksOf = (pids: number[]) =>
      pids.reduce((sum, pid) => sum + (finish.pids.get(pid) ?? 0) - (start.pids.get(pid) ?? 0), 0);
    const byGroup: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups()))
      byGroup[name] = percent(ticksOf(pids));
    const foreign = new Set(foreignPostgres);
    byGroup['postgres'] = percent(
      ticksOf(pidsNamed(finish, 'postgres').filter((pid) => !foreign.has(pid))),
    );
    byGroup['redis'] = percent(ticksOf(pidsNamed(finish, 'redis-server')));
    const machineBusy = percent(finish.machine.busy - start.machine.busy);
    // "omni:api"-style names are parts of a group, shown but not counted twice.
    const known = Object.entries(byGroup)
      .filter(([name]) => !name.includes(':'))
      .reduce((sum, [, value]) => sum + value, 0);
    // Whatever else ran meanwhile (other people's builds and tests on a shared machine).
    byGroup['other'] = Math.max(0, machineBusy - known);
    return {
      from: start.at,
      to: finish.at,
      seconds: Math.round(seconds * 100) / 100,
      cores: cpus().length,
      machineBusy,
      byGroup,
    };
  }
}

const names = new Map<number, string>();

function snapshot(): Snapshot | null {
  try {
    const pids = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (!stat) continue;
      pids.set(Number(entry), stat.ticks);
      names.set(Number(entry), stat.name);
    }
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(1).map(Number);
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { at: Date.now(), machine: { busy, total: busy + idle! + iowait! }, pids };
  } catch {
    return null;
  }
}

function readStat(pid: number): { name: string; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    // After "(comm)": state is field 3; utime and stime are fields 14 and 15.
    const rest = stat.slice(close + 2).split(' ');
    return { name, ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null; // exited meanwhile
  }
}

function pidsNamed(snap: Snapshot, name: string): number[] {
  return [...snap.pids.keys()].filter((pid) => names.get(pid) === name);
}

/** The processes `pid` started (Linux; none elsewhere), e.g. the worker that `all` forks. */
export function childPidsOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
