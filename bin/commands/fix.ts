/**
 * `why-denied fix plan`: the first denied upload of the event as a remediation plan (contract §5). It only
 * reads; `fix apply` and `fix rollback` are the commands that write.
 */
import { joinUploads, SnapshotError } from '../../lambda';
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

export async function fixPlan(options: FixPlanOptions, { out }: Output, now: () => Date = () => new Date()): Promise<number> {
  if (options.format !== 'json' && options.format !== 'text') throw new CliInputError(`--format ${options.format}: expected json or text`);
  const fixIndex = fixIndexOf(options.fix);
  const parsed = readEvent(options.event);
  const denial = joinUploads(parsed.requests)[0];
  if (!denial) throw new CliInputError(`${options.event}: nothing in scope to plan for`);
  const snapshot = options.snapshot ? readSnapshot(options.snapshot) : await snapshotFromAws(denial.request, options);
  let plan: RemediationPlan;
  try {
    plan = planFix(denial.request, snapshot, { createdAt: now().toISOString(), ...(fixIndex === undefined ? {} : { fixIndex }) });
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliInputError(`${options.snapshot ?? 'the snapshot'}: ${error.message}`);
    throw error;
  }
  out.write(`${options.format === 'text' ? planText(plan) : JSON.stringify(plan, null, 2)}\n`);
  return 0;
}
