/**
 * Preloaded (`node -r`) into the process that runs the deployed bundle: every HTTPS request it makes goes to
 * the stand-in's port instead, over plain HTTP with its original Host header. The bundle itself is what
 * the stack deploys, unchanged; only the network under it is redirected, as a hosts file and a proxy would.
 */
import http from 'node:http';
import https from 'node:https';

const port = Number(process.env.WHY_DENIED_STAND_IN_PORT);
const agent = new http.Agent({ keepAlive: true });
const plainRequest = http.request;

function toStandIn(options: https.RequestOptions, callback?: (res: http.IncomingMessage) => void): http.ClientRequest {
  const host = options.hostname ?? options.host ?? '';
  return plainRequest(
    {
      method: options.method,
      path: options.path,
      headers: { ...options.headers, host },
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      agent,
      timeout: options.timeout,
      signal: options.signal,
    },
    callback,
  );
}

Object.defineProperty(https, 'request', { value: toStandIn, writable: true, configurable: true });
