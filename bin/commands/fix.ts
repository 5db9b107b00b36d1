/**
 * `why-denied fix plan`: the first denied upload of the event as a remediation plan (contract §5). It only
 * reads; `fix apply` and `fix rollback` are the commands that write.
 */
import { diagnose, joinUploads, SnapshotError } from '../../lambda';
import { reportSkipped } from './explain';
import type { RemediationPlan } from '../../lambda/model/remediationPlan';
import { safeForTerminal } from '../../lambda/notify/safeForTerminal';
import { planFix } from '../../lambda/remediate/planFix';
import { CliInputError } from '../errors';
import type { Output } from '../output';
import { readEvent, readSnapshot } from '../readInput';
import { snapshotFromAws } from '../snapshotSource';
import { planChanges } from '../planChanges';

export interface FixPlanOptions {
  event: string;
  snapshot?: string;
  fix?: string;
  format: string;
  profile?: string;
  region?: string;
  roleName?: string;
}

function fixIndexOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,3}$/.test(text)) throw new CliInputError(`--fix ${text}: expected the number of a fix (0 for the first)`);
  return Number(text);
}

/** For people: what would change, what it would also allow, and why not when it cannot be applied. */
function planText(plan: RemediationPlan): string {
  const lines = [
    `${plan.applicable ? 'APPLICABLE' : 'NOT APPLICABLE'}  plan ${plan.id} for event ${safeForTerminal(plan.eventId)} (fix ${plan.fixIndex ?? '-'}, ${plan.owner})`,
    `verdict before: ${plan.verdictBefore}; after the change: ${plan.verdictAfter}`,
  ];
  if (plan.summary) lines.push(`fix: ${safeForTerminal(plan.summary)}`);
  if (plan.reason) lines.push(`reason: ${safeForTerminal(plan.reason)}`);
  lines.push(...planChanges(plan));
  for (const also of plan.alsoAllows)
    lines.push(
      `${also.intended ? 'also allows (intended: the same job)' : 'also allows'}: ${also.action} by ${safeForTerminal(also.principal)} on ${safeForTerminal(also.resource)}`,
    );
  return lines.join('\n');
}

/**
 * One plan is for one denial: a log file with several is refused with their count (a plan made for the
 * first alone would leave the rest unplanned without a word), and its malformed records are named.
 */
export async function fixPlan(options: FixPlanOptions, { out, err }: Output, now: () => Date = () => new Date()): Promise<number> {
  if (options.format !== 'json' && options.format !== 'text') throw new CliInputError(`--format ${options.format}: expected json or text`);
  const fixIndex = fixIndexOf(options.fix);
  const parsed = readEvent(options.event);
  reportSkipped(parsed, options.event, err);
  const denials = joinUploads(parsed.requests);
  const denial = denials[0];
  if (!denial) throw new CliInputError(`${options.event}: nothing in scope to plan for`);
  if (denials.length > 1) {
    throw new CliInputError(
      `${options.event}: holds ${denials.length} denials, and a plan is for one: give fix plan a single record (explain shows each one's event id)`,
    );
  }
  const snapshot = options.snapshot ? readSnapshot(options.snapshot) : await snapshotFromAws(denial.request, { ...options, offline: true });
  let plan: RemediationPlan;
  try {
    const fixes = diagnose(denial.request, snapshot).fixes.length;
    if (fixIndex !== undefined && fixIndex >= fixes) {
      throw new CliInputError(
        fixes === 0
          ? `--fix ${fixIndex}: the diagnosis proposes no fix`
          : `--fix ${fixIndex}: the diagnosis has ${fixes} fix(es), 0 to ${fixes - 1}`,
      );
    }
    plan = planFix(denial.request, snapshot, { createdAt: now().toISOString(), ...(fixIndex === undefined ? {} : { fixIndex }) });
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliInputError(`${options.snapshot ?? 'the snapshot'}: ${error.message}`);
    throw error;
  }
  out.write(`${options.format === 'text' ? planText(plan) : JSON.stringify(plan, null, 2)}\n`);
  return 0;
}
