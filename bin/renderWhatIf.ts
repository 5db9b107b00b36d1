/** `explain --patch`: the diagnosis before and after, whether the request now goes through, and anything broader. */
import { formatText } from '../lambda/notify/text';
import type { WhatIf } from '../lambda/whatIf/whatIf';
import type { Format } from './formats';

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

export function renderWhatIf(results: WhatIf[], format: Format, color: boolean): string {
  if (format === 'json') return JSON.stringify(results.length === 1 ? results[0] : results, null, 2);
  return results
    .map((r) => [`BEFORE\n${formatText(r.before, { color })}`, `AFTER\n${formatText(r.after, { color })}`, verdictLine(r)].join('\n\n'))
    .join('\n\n────────\n\n');
}
