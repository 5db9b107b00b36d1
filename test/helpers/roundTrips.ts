/** Calls as a stand-in saw them, and how many had to wait for one another. */
export interface TimedCall {
  arrivedAt: number;
  answeredAt: number;
}

/** The longest chain of calls where each arrived only after the one before it was answered. */
export function sequentialRoundTrips(calls: TimedCall[]): number {
  const sorted = [...calls].sort((a, b) => a.arrivedAt - b.arrivedAt);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let longest = 0;
    for (let j = 0; j < i; j += 1) if (sorted[j]!.answeredAt <= call.arrivedAt) longest = Math.max(longest, depth[j]!);
    depth.push(longest + 1);
  });
  return Math.max(0, ...depth);
}
