/**
 * One snapshot being read. Every AWS call goes through `attempt`, which gives three answers: the value,
 * `null` when AWS says the thing does not exist (a fact the engine can use), or `undefined` when it could
 * not be seen — and then the layer is listed in `unseen` with the API and the reason. One failing layer
 * never sinks the snapshot.
 */
import pLimit from 'p-limit';
import type { PolicyDocument } from '../policy/types';
import type { UnseenLayer } from '../model/snapshot';
import { MalformedDocumentError, parsePolicyDocument } from './policyDocument';
import { classifyAwsError, describeAwsError } from './awsErrors';
import type { TtlCache } from './TtlCache';

export class Reading {
  readonly unseen: UnseenLayer[] = [];
  /** AWS calls actually made (cache hits are free). */
  calls = 0;
  /** The APIs AWS refused: a refusal says something a throttle does not (whose the resource may be). */
  readonly deniedApis = new Set<string>();

  /** At most this many AWS calls in flight for one snapshot: parallel, without a burst that gets throttled. */
  static readonly CONCURRENCY = 16;
  constructor(
    private readonly cache: TtlCache,
    private readonly limit = pLimit(Reading.CONCURRENCY),
  ) {}

  /**
   * Reads whose failures count only if another read, made at the same time, says they matter: kept apart
   * until `adopt`. They share this reading's cache and its limit on calls in flight.
   */
  branch(): Reading {
    return new Reading(this.cache, this.limit);
  }

  /** What a branch saw becomes this reading's; its calls are counted whether adopted or not. */
  adopt(branch: Reading, what: { unseen: boolean }): void {
    this.calls += branch.calls;
    if (!what.unseen) return;
    for (const u of branch.unseen) this.markUnseen(u.layer, u.reason);
    for (const api of branch.deniedApis) this.deniedApis.add(api);
  }

  markUnseen(layer: string, reason: string): void {
    if (!this.unseen.some((u) => u.layer === layer)) this.unseen.push({ layer, reason });
  }

  /** Replaces what is said of a layer already unseen: a better reason became known later. */
  restateUnseen(layer: string, reason: string): void {
    const entry = this.unseen.find((u) => u.layer === layer);
    if (entry) entry.reason = reason;
    else this.unseen.push({ layer, reason });
  }

  /** A policy document from AWS, or null — with the layer listed as unseen — when it cannot be read. */
  document(layer: string, what: string, text: string | undefined, urlEncoded: boolean): PolicyDocument | null {
    try {
      return parsePolicyDocument(text, urlEncoded);
    } catch (error) {
      if (!(error instanceof MalformedDocumentError)) throw error;
      this.markUnseen(layer, `${what} could not be read: ${error.message}`);
      return null;
    }
  }

  async attempt<T>(layer: string, api: string, cacheKey: string, call: () => Promise<T>): Promise<T | null | undefined> {
    try {
      // "Not there" and "refused" are cached like any answer (a member account is refused Organizations
      // reads on every event); throttles and other failures are left to be tried again.
      const answer = await this.cache.get<T | null | Refusal>(`${api}|${cacheKey}`, async () => {
        this.calls += 1;
        try {
          return await this.limit(call);
        } catch (error) {
          const failure = classifyAwsError(error);
          if (failure === 'missing') return null;
          if (failure === 'denied') return new Refusal(describeAwsError(error));
          throw error;
        }
      });
      if (!(answer instanceof Refusal)) return answer;
      this.deniedApis.add(api);
      this.markUnseen(layer, `${api} access denied (${answer.description})`);
      return undefined;
    } catch (error) {
      const failure = classifyAwsError(error);
      const why = failure === 'throttled' ? 'throttled after retries' : 'failed';
      this.markUnseen(layer, `${api} ${why} (${describeAwsError(error)})`);
      return undefined;
    }
  }
}

/** AWS refused the call: kept in the cache as an answer, so the next event does not ask again. */
class Refusal {
  constructor(readonly description: string) {}
}
