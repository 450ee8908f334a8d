import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Metrics } from '../../src/metrics.js';

// deploy/grafana-dashboard.json is built on the metrics the service exports: every metric and label its
// queries name must exist, so that a renamed metric cannot leave an empty panel behind.

interface Panel {
  readonly title: string;
  readonly targets: readonly { readonly expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../deploy/grafana-dashboard.json', import.meta.url), 'utf8'),
) as { panels: Panel[]; templating: { list: { query: { query: string } }[] } };

/** The service's metrics and their label names, as registered. */
function exported(): Map<string, Set<string>> {
  const metrics = new Metrics();
  const names = new Map<string, Set<string>>();
  for (const metric of metrics.registry.getMetricsAsArray()) {
    const labels = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    names.set(metric.name, new Set([...labels, ...(metric.constructor.name === 'Histogram' ? ['le'] : [])]));
  }
  return names;
}

describe('the Grafana dashboard', () => {
  it('queries only metrics and labels the service exports', () => {
    const metrics = exported();
    const problems: string[] = [];
    const queries = [
      ...dashboard.panels.flatMap((panel) =>
        panel.targets.map((target) => ({ title: panel.title, expr: target.expr })),
      ),
      ...dashboard.templating.list.map((variable) => ({ title: 'variable', expr: variable.query.query })),
    ];
    assert.ok(queries.length >= 10);
    for (const { title, expr } of queries) {
      const names = [...expr.matchAll(/\bwwb_[a-z_]+/g)].map(([name]) =>
        name.replace(/_(bucket|sum|count)$/, ''),
      );
      assert.ok(names.length > 0, `${title}: no metric`);
      for (const name of names) {
        const labels = metrics.get(name);
        if (labels === undefined) {
          problems.push(`${title}: ${name} is not exported`);
          continue;
        }
        const used = [
          ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap(([, list]) => (list ?? '').split(',')),
          ...[...expr.matchAll(/\{([^}]*)\}/g)].flatMap(([, list]) =>
            (list ?? '').split(',').map((matcher) => matcher.split(/[=!~]/)[0] ?? ''),
          ),
          ...[...expr.matchAll(/label_values\(\w+, (\w+)\)/g)].map(([, label]) => label ?? ''),
        ]
          .map((label) => label.trim())
          .filter((label) => label !== '');
        // A label of another metric in the same query is checked against that one; here, of any of them.
        for (const label of used) {
          if (!names.some((other) => metrics.get(other)?.has(label)))
            problems.push(`${title}: no label ${label}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});
