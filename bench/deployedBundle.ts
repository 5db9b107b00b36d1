/** The diagnoser's bundle exactly as `cdk synth` builds it for the stack, in a cloud assembly of its own. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { WhyDeniedStack } from '../lib/WhyDeniedStack';

export interface DeployedBundle {
  /** The handler's `index.js`. */
  path: string;
  remove: () => void;
}

export function synthesizeBundle(): DeployedBundle {
  const outdir = mkdtempSync(join(tmpdir(), 'why-denied-synth-'));
  const app = new App({ outdir });
  new WhyDeniedStack(app, 'Bench', { env: { account: '111122223333', region: 'eu-west-1' } });
  app.synth();
  const path = readdirSync(outdir)
    .map((d) => join(outdir, d, 'index.js'))
    .find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
  const remove = () => rmSync(outdir, { recursive: true, force: true });
  if (!path) {
    remove();
    throw new Error('no bundled handler in the cloud assembly');
  }
  return { path, remove };
}
