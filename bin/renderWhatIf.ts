/** `explain --patch`: the diagnosis before and after, whether the request now goes through, and anything broader. */
import { formatText } from '../lambda/notify/text';
import type { WhatIf } from '../lambda/whatIf/whatIf';
import type { Format } from './formats';
import { slackPayload } from '../lambda/notify/slackPayload';
import { snsPublishInput } from '../lambda/notify/snsMessage';
import type { Diagnosis } from '../lambda/model/diagnosis';

export interface WhatIfRenderOptions {
  color: boolean;
  snsTopicArn?: string | undefined;
}

function verdictLine(result: WhatIf): string {
  const through = result.resolved
    ? 'With the patch, every visible layer lets this request through.'
    : `With the patch, the request is still denied (${result.after.verdict}).`;
  const broader =
    result.broader.length === 0
      ? 'The patch grants nothing broader than this request.'
      : `Warning: the patch also allows ${result.broader.join('; ')}.`;
  return `${through} ${broader}`;
}

/** For chat formats, the message a person would get before and after the patch. */
function asMessages(result: WhatIf, message: (diagnosis: Diagnosis) => unknown) {
  return { before: message(result.before), after: message(result.after), resolved: result.resolved, broader: result.broader };
}

export function renderWhatIf(results: WhatIf[], format: Format, { color, snsTopicArn }: WhatIfRenderOptions): string {
  const one = <T>(items: T[]) => (items.length === 1 ? items[0] : items);
  if (format === 'json') return JSON.stringify(one(results), null, 2);
  if (format === 'slack') return JSON.stringify(one(results.map((r) => asMessages(r, slackPayload))), null, 2);
  if (format === 'sns') return JSON.stringify(one(results.map((r) => asMessages(r, (d) => snsPublishInput(d, snsTopicArn)))), null, 2);
  return results
    .map((r) => [`BEFORE\n${formatText(r.before, { color })}`, `AFTER\n${formatText(r.after, { color })}`, verdictLine(r)].join('\n\n'))
    .join('\n\n────────\n\n');
}
