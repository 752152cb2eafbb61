import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { afterAll, describe, expect, it } from 'vitest';
import { KitHistogram, kitHistogramProducer } from './kit-histograms.js';

// The kit's histogram against the SDK's, fed the same values: the same data points, and the
// same Prometheus text (issue 23: the kit aggregates to avoid hashing the labels per record).
describe('a histogram the kit aggregates (issue 23)', () => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const kitHistograms = kitHistogramProducer();
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 3_600_000,
    metricProducers: [kitHistograms],
  });
  const provider = new MeterProvider({ readers: [reader] });
  afterAll(async () => {
    kitHistograms.stop();
    await reader.shutdown();
  });

  it('when the same values are recorded into it and into the SDK histogram, then both export the same points and the same Prometheus lines', async () => {
    const boundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    const definition = { description: 'Duration of test requests', unit: 's' };
    const sdk = provider.getMeter('sdk-scope').createHistogram('test.sdk.duration', {
      ...definition,
      advice: { explicitBucketBoundaries: boundaries },
    });
    const kit = new KitHistogram(
      'kit-scope',
      { name: 'test.kit.duration', ...definition },
      boundaries,
    );
    const labels = (status: number): Attributes => ({
      service: 'test',
      'http.request.method': 'GET',
      'http.route': '/v1/account',
      'http.response.status_code': status,
    });
    const values = [0, 0.005, 0.0051, 0.02, 0.5, 3, 10, 11, 0.001, 0.25, Number.NaN, -1];
    for (const [index, value] of values.entries()) {
      const status = index % 3 === 0 ? 404 : 200;
      sdk.record(value, labels(status));
      kit.series(`GET ${status}`, () => labels(status)).record(value);
    }

    await reader.forceFlush();
    const scopes = exporter.getMetrics().at(-1)!.scopeMetrics;
    const sdkMetric = scopes.find((scope) => scope.scope.name === 'sdk-scope')!
      .metrics[0] as HistogramMetricData;
    const kitMetric = scopes.find((scope) => scope.scope.name === 'kit-scope')!
      .metrics[0] as HistogramMetricData;
    const points = (metric: HistogramMetricData) =>
      metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value }));
    expect(points(kitMetric)).toEqual(points(sdkMetric));
    const { description, unit, valueType } = sdkMetric.descriptor;
    expect(kitMetric.descriptor).toEqual({
      name: 'test.kit.duration',
      description,
      unit,
      valueType,
    });
    expect(kitMetric.dataPointType).toBe(sdkMetric.dataPointType);
    expect(kitMetric.aggregationTemporality).toBe(sdkMetric.aggregationTemporality);

    const serializer = new PrometheusSerializer();
    const text = (metric: HistogramMetricData, scope: string) =>
      serializer
        .serialize({
          resource: exporter.getMetrics().at(-1)!.resource,
          scopeMetrics: [{ scope: { name: scope }, metrics: [metric] }],
        })
        .replace(/^target_info.*$/m, '');
    expect(text(kitMetric, 'scope').replaceAll('test_kit_duration', 'NAME')).toBe(
      text(sdkMetric, 'scope').replaceAll('test_sdk_duration', 'NAME'),
    );
  });

  it('when the producer is stopped, then nothing more is recorded', async () => {
    const kit = new KitHistogram(
      'kit-stopped',
      { name: 'test.stopped', description: 'x', unit: 's' },
      [1],
    );
    const series = kit.series('one', () => ({ a: 1 }));
    series.record(0.5);
    kitHistograms.stop();
    series.record(0.5);
    await reader.forceFlush();
    const scope = exporter
      .getMetrics()
      .at(-1)!
      .scopeMetrics.find((candidate) => candidate.scope.name === 'kit-stopped')!;
    expect((scope.metrics[0] as HistogramMetricData).dataPoints[0]!.value.count).toBe(1);
  });
});
