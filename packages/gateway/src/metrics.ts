import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GatewayLog } from './log';
import type { Spool } from './spool/spool';

/** Prometheus metrics, fed by the gateway's own log events so nothing is counted twice. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly sessions = new Counter({ name: 'mailward_sessions_total', help: 'SMTP connections', registers: [this.registry] });
  private readonly verdicts = new Counter({ name: 'mailward_verdicts_total', help: 'Decisions by stage, verdict and deciding rule', labelNames: ['stage', 'verdict', 'rule'], registers: [this.registry] });
  private readonly deliveries = new Counter({ name: 'mailward_delivery_attempts_total', help: 'Delivery attempts by outcome', labelNames: ['outcome'], registers: [this.registry] });
  private readonly latency = new Histogram({ name: 'mailward_delivery_seconds', help: 'Time of a delivery attempt', buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: [this.registry] });
  private readonly lookups = new Counter({ name: 'mailward_fact_lookups_total', help: 'Fact lookups by provider and result', labelNames: ['provider', 'result'], registers: [this.registry] });

  constructor(spool: Spool) {
    new Gauge({
      name: 'mailward_spool_messages', help: 'Messages in each spool area', labelNames: ['area'], registers: [this.registry],
      collect() {
        for (const area of ['queue', 'deferred', 'quarantine', 'corrupt'] as const) this.set({ area }, spool.list(area).length);
      },
    });
  }

  /** A log that also counts what it logs. */
  counting(log: GatewayLog): GatewayLog {
    return {
      event: (level, fields) => {
        this.observe(fields);
        log.event(level, fields);
      },
    };
  }

  private observe(f: Record<string, unknown>): void {
    switch (f.event) {
      case 'connect':
        this.sessions.inc();
        break;
      case 'decision':
        this.verdicts.inc({ stage: String(f.stage), verdict: String(f.verdict), rule: String(f.rule ?? 'default') });
        break;
      case 'delivery':
        this.deliveries.inc({ outcome: String(f.outcome) });
        if (typeof f.ms === 'number') this.latency.observe(f.ms / 1000);
        break;
      case 'lookup':
        this.lookups.inc({ provider: String(f.provider), result: f.error ? 'error' : 'ok' });
        break;
    }
  }

  /** The admin listener: /metrics and /healthz, on loopback unless told otherwise. */
  async listen(host: string, port: number): Promise<{ server: Server; port: number }> {
    const server = createServer((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        return;
      }
      if (req.url === '/metrics') {
        this.registry.metrics().then((text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text), (err: Error) => res.writeHead(500).end(err.message));
        return;
      }
      res.writeHead(404).end();
    });
    // A port in use rejects (the start fails and says so), not an unhandled 'error' that ends the process.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return { server, port: (server.address() as AddressInfo).port };
  }
}
