/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every
 * line must be a well-formed HELP or TYPE, another comment, or a sample of a family whose TYPE
 * came before it.
 */
export type Sample = { name: string; labels: Record<string, string>; value: number };

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Inf|NaN)';
const LABEL = `${LABEL_NAME}=${LABEL_VALUE}`;

const HELP_LINE = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
// Case-insensitive for NaN and Inf, as Prometheus reads them (Go's ParseFloat): prom-client
// writes NaN as `Nan`. Names and labels already allow either case.
const SAMPLE_LINE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`,
  'i',
);
const ONE_LABEL = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');

/** Throws on the first line that is not valid exposition text; returns every sample. */
export function parseExposition(text: string): Sample[] {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${index + 1} (${JSON.stringify(line)})`;
    if (line === '' || HELP_LINE.test(line)) continue;
    const type = TYPE_LINE.exec(line);
    if (type) {
      if (types.has(type[1]!)) throw new Error(`${where}: a second TYPE for ${type[1]}`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# (HELP|TYPE)\b/.test(line)) throw new Error(`${where}: a malformed ${line.slice(2, 6)}`);
    if (line.startsWith('#')) continue; // any other comment is allowed, and ignored
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`${where}: not a sample`);
    const name = sample[1]!;
    if (!types.has(familyOf(name, types))) throw new Error(`${where}: no TYPE before it`);
    const labels: Record<string, string> = {};
    for (const [, labelName, quoted] of (sample[2] ?? '').matchAll(ONE_LABEL)) {
      if (labelName! in labels) throw new Error(`${where}: label ${labelName} twice`);
      // Its three escapes (\\, \" and \n) are JSON's too.
      labels[labelName!] = JSON.parse(quoted!) as string;
    }
    samples.push({ name, labels, value: Number(sample[3]!.replace(/inf/i, 'Infinity')) });
  }
  return samples;
}

/** The family a sample belongs to: histograms' and summaries' series carry a suffix. */
function familyOf(name: string, types: Map<string, string>): string {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const type = types.get(base);
  return type === 'histogram' || type === 'summary' ? base : name;
}

/** The sum of the samples named `name` whose labels include `labels`. */
export function sumOf(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  return samples
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
    )
    .reduce((total, sample) => total + sample.value, 0);
}
