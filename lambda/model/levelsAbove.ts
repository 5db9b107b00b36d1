/** The ids of the root and the OUs above an account, root first, from its levels' targets (`r-ab12 (Root)`, `ou-ab12-11111111 (Workloads)`). */
import type { OrgLevel } from './snapshot';

export function levelsAbove(levels: readonly OrgLevel[] | undefined): string[] {
  return (levels ?? []).map((level) => level.target.split(' ')[0] ?? '').filter((id) => /^(r|ou)-/.test(id));
}
