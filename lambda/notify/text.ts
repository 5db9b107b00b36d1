/**
 * The diagnosis for a person at a terminal: the verdict first, then the deciding statement with the
 * failed condition marked, the full trace, what could not be seen, and the fix last.
 * Everything from the request is attacker-controlled: control characters are made visible, never sent raw.
 */
import { bucketOfDiagnosis } from '../model/bucketOfDiagnosis';
import type { DecidingLayer, Diagnosis, Fix, LayerTrace } from '../model/diagnosis';
import { describePolicy } from '../layers/describe';
import { layerInWords } from '../model/layerWords';
import { jsonForTerminal, safeForTerminal } from './safeForTerminal';
import { fixesIntro, fixHeading, patchLabel } from './fixWords';
import { patchesOf } from '../model/patchesOf';

export interface TextOptions {
  /** ANSI colour, for a TTY only. */
  color: boolean;
}

const VERDICT_WORDS: Record<Diagnosis['verdict'], string> = {
  'explicit-deny': 'DENIED (explicit deny)',
  'implicit-deny': 'DENIED (no allow)',
  'setting-blocked': 'DENIED (refused by a setting)',
  'not-reproduced': 'NOT REPRODUCED',
  'out-of-scope': 'OUT OF SCOPE',
};

function painter(color: boolean) {
  const wrap = (code: string) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { bold: wrap('1'), red: wrap('31'), green: wrap('32'), yellow: wrap('33'), dim: wrap('2'), cyan: wrap('36') };
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

function statementBlock(deciding: DecidingLayer, paint: ReturnType<typeof painter>): string[] {
  const lines: string[] = [];
  const statement = deciding.statement;
  if (statement) {
    const label = statement.sid ? `statement "${safeForTerminal(statement.sid)}"` : `statement #${statement.index}`;
    lines.push(`  ${paint.bold(label)}${deciding.policy ? ` in ${safeForTerminal(describePolicy(deciding.policy))}` : ''}`);
    if (statement.body) {
      const body = jsonForTerminal(statement.body);
      lines.push(paint.dim(indent(body, '    ')));
    }
  }
  for (const condition of deciding.conditions) {
    const decisive = deciding.decision === 'explicit-deny' ? condition.satisfied : !condition.satisfied;
    // Words, not ✓/✗: a Deny's condition that matched is what denied, and a tick there would read as "fine".
    const mark = condition.satisfied ? 'matched' : 'failed ';
    const shown = decisive ? paint.red(mark) : paint.dim(mark);
    const actual = condition.actual === null ? '(absent)' : condition.actual.join(', ');
    lines.push(
      `  ${shown} ${condition.operator} ${safeForTerminal(condition.key)}  expected ${safeForTerminal(condition.expected.join(', '))}  actual ${safeForTerminal(actual)}`,
    );
  }
  return lines;
}

function traceLine(trace: LayerTrace, paint: ReturnType<typeof painter>): string {
  const colour =
    trace.result === 'allow'
      ? paint.green
      : trace.result === 'not-applicable'
        ? paint.dim
        : trace.result === 'not-visible'
          ? paint.yellow
          : paint.red;
  return `    ${colour(trace.result.padEnd(15))} ${trace.layer.padEnd(20)} ${trace.action.padEnd(20)} ${safeForTerminal(trace.detail)}`;
}

function fixLines(fix: Fix, index: number, paint: ReturnType<typeof painter>): string[] {
  const lines = [`  ${paint.bold(fixHeading(fix, index))}  ${safeForTerminal(fix.summary)}`];
  if (fix.command)
    lines.push(
      ...fix.command
        .split('\n')
        .map((line) => `    ${paint.cyan(line.startsWith('# ') ? safeForTerminal(line) : `$ ${safeForTerminal(line)}`)}`),
    );
  for (const patch of patchesOf(fix)) {
    lines.push(`    ${patchLabel(patch)}:`, paint.dim(indent(jsonForTerminal(patch.Statement), '    ')));
  }
  return lines;
}

/** @example console.log(formatText(diagnosis, { color: process.stdout.isTTY })) */
export function formatText(diagnosis: Diagnosis, options: TextOptions): string {
  const paint = painter(options.color);
  const first = diagnosis.decidingLayers[0];
  const bucket = bucketOfDiagnosis(diagnosis);
  const verdict = VERDICT_WORDS[diagnosis.verdict];
  const headline = first
    ? `${paint.red(paint.bold(verdict))}  ${first.action} by ${layerInWords(first.layer, bucket)}`
    : `${paint.yellow(paint.bold(verdict))}`;
  const event = diagnosis.event;
  const lines = [
    `${headline}  ${paint.dim(`[confidence: ${diagnosis.confidence}]`)}`,
    `  who   ${safeForTerminal(diagnosis.request.sessionArn ?? diagnosis.request.principalArn)}`,
    `  what  ${safeForTerminal(diagnosis.request.actions.join(', '))} on ${safeForTerminal(diagnosis.request.resources.join(', '))}`,
    `  when  ${safeForTerminal(event.time || '(time not recorded)')}  ${safeForTerminal(event.source)} ${safeForTerminal(event.name)} → ${safeForTerminal(event.errorCode ?? '')}  (event ${safeForTerminal(event.id)})`,
    `  why   ${safeForTerminal(diagnosis.summary)}`,
  ];
  const from = diagnosis.request.context['aws:SourceIp'] ?? diagnosis.request.context['aws:SourceVpce'];
  if (from) lines.splice(4, 0, `  from  ${safeForTerminal(String(from))}`);
  for (const deciding of diagnosis.decidingLayers) {
    lines.push('', `  ${paint.bold(deciding.layer)} ${deciding.decision} on ${deciding.action}`, ...statementBlock(deciding, paint));
  }
  // A refusal decided before any layer was evaluated (credentials, an endpoint's unlogged refusal) has none to list.
  if (diagnosis.layers.length > 0) lines.push('', '  layers', ...diagnosis.layers.map((t) => traceLine(t, paint)));
  if (diagnosis.notVisible.length > 0) {
    lines.push(
      '',
      '  not visible',
      ...diagnosis.notVisible.map((n) => `    ${paint.yellow(n.layer.padEnd(20))} ${safeForTerminal(n.reason)}`),
    );
  }
  const intro = fixesIntro(diagnosis.fixes.length);
  if (intro) lines.push('', `  ${intro}`);
  diagnosis.fixes.forEach((fix, index) => lines.push('', ...fixLines(fix, index, paint)));
  return lines.join('\n');
}
