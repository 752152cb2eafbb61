import { ValueType, type Attributes } from '@opentelemetry/api';
import { metrics as sdkMetrics } from '@opentelemetry/sdk-node';

type HrTime = [seconds: number, nanoseconds: number];

/** What `MetricReader.collect` asks of a producer (`@opentelemetry/sdk-metrics`). */
type CollectionResult = Awaited<ReturnType<sdkMetrics.MetricProducer['collect']>>;
type ScopeMetrics = CollectionResult['resourceMetrics']['scopeMetrics'][number];

/** The SDK's limit of attribute sets per instrument; past it, one overflow series. */
const cardinalityLimit = 2_000;
const overflowAttributes: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/**
 * One series of a histogram: the counts of one attribute set. `record` is a binary search and
 * a few additions, no hashing of the attributes.
 */
export interface HistogramSeries {
  record(value: number): void;
}

interface SeriesState {
  attributes: Attributes;
  startTime: HrTime;
  counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * A histogram the kit aggregates itself and exports through the running telemetry's Prometheus
 * reader (a `MetricProducer`), under the same name, description, unit, buckets, scope and labels
 * as an OpenTelemetry histogram of the same definition (issue 23). The SDK's `record` writes the
 * attributes out as sorted JSON on every call to find their series (`hashAttributes`, 2–4 % of
 * the gateway's CPU); here the caller keeps the series it records into (`series`), one object per
 * attribute set, found by a key of its own.
 *
 * Cumulative, as the SDK's Prometheus reader reads histograms. Records only while telemetry runs
 * (`startTelemetry` attaches the producer), as the SDK's histogram of the no-op provider did
 * nothing before; each start begins from zero.
 */
export class KitHistogram {
  readonly #series = new Map<string, SeriesState>();
  readonly #handles = new Map<string, HistogramSeries>();
  readonly #boundaries: readonly number[];

  constructor(
    readonly scope: string,
    readonly descriptor: { name: string; description: string; unit: string },
    boundaries: readonly number[],
  ) {
    this.#boundaries = [...boundaries];
    histograms.add(this);
  }

  /**
   * The series for `attributes`, known by `key` (the caller's own name for that attribute set:
   * two calls with one key must mean the same attributes). Keep it and record into it.
   */
  series(key: string, attributes: () => Attributes): HistogramSeries {
    let handle = this.#handles.get(key);
    if (!handle) {
      handle = { record: (value) => this.#record(key, attributes, value) };
      // Keys are few (routes × methods × statuses); the bound guards against the unexpected.
      if (this.#handles.size < cardinalityLimit * 2) this.#handles.set(key, handle);
    }
    return handle;
  }

  #record(key: string, attributes: () => Attributes, value: number): void {
    if (!isCollecting || Number.isNaN(value) || value < 0) return;
    let state = this.#series.get(key);
    if (!state) {
      const overflow = this.#series.size >= cardinalityLimit - 1;
      const stateKey = overflow ? '\u0000overflow' : key;
      state = this.#series.get(stateKey);
      if (!state) {
        state = {
          attributes: overflow ? overflowAttributes : attributes(),
          startTime: hrNow(),
          counts: new Array<number>(this.#boundaries.length + 1).fill(0),
          count: 0,
          sum: 0,
          min: Infinity,
          max: -Infinity,
        };
        this.#series.set(stateKey, state);
      }
    }
    state.count += 1;
    state.sum += value;
    if (value < state.min) state.min = value;
    if (value > state.max) state.max = value;
    state.counts[upperBoundIndex(this.#boundaries, value)]! += 1;
  }

  /** The histogram as the SDK's cumulative histogram aggregation would give it at `endTime`. */
  collect(endTime: HrTime): ScopeMetrics['metrics'][number] {
    return {
      descriptor: { ...this.descriptor, valueType: ValueType.DOUBLE },
      aggregationTemporality: sdkMetrics.AggregationTemporality.CUMULATIVE,
      dataPointType: sdkMetrics.DataPointType.HISTOGRAM,
      dataPoints: [...this.#series.values()].map((state) => ({
        attributes: state.attributes,
        startTime: state.startTime,
        endTime,
        value: {
          buckets: { boundaries: [...this.#boundaries], counts: [...state.counts] },
          count: state.count,
          sum: state.sum,
          min: state.min,
          max: state.max,
        },
      })),
    };
  }

  clear(): void {
    this.#series.clear();
  }
}

const histograms = new Set<KitHistogram>();
let isCollecting = false;

/**
 * The producer `startTelemetry` gives its metric reader: every kit histogram that has a series,
 * by scope. Starting it clears what an earlier telemetry collected and starts recording.
 */
export function kitHistogramProducer(): sdkMetrics.MetricProducer & { stop(): void } {
  for (const histogram of histograms) histogram.clear();
  isCollecting = true;
  return {
    collect() {
      const endTime = hrNow();
      const byScope = new Map<string, ScopeMetrics>();
      for (const histogram of histograms) {
        const metric = histogram.collect(endTime);
        if (metric.dataPoints.length === 0) continue;
        let scope = byScope.get(histogram.scope);
        if (!scope)
          byScope.set(histogram.scope, (scope = { scope: { name: histogram.scope }, metrics: [] }));
        scope.metrics.push(metric);
      }
      return Promise.resolve({
        // MetricReader.collect keeps the SDK's resource and takes only the producers' scopes.
        resourceMetrics: { resource: emptyResource, scopeMetrics: [...byScope.values()] },
        errors: [],
      });
    },
    stop() {
      isCollecting = false;
    },
  };
}

const emptyResource = undefined as unknown as CollectionResult['resourceMetrics']['resource'];

/** The index of the bucket for `value`: the first boundary ≥ value (the SDK's binarySearchUB). */
function upperBoundIndex(boundaries: readonly number[], value: number): number {
  let low = 0;
  let high = boundaries.length - 1;
  let found = boundaries.length;
  while (high >= low) {
    const middle = low + Math.trunc((high - low) / 2);
    if (boundaries[middle]! < value) low = middle + 1;
    else {
      found = middle;
      high = middle - 1;
    }
  }
  return found;
}

function hrNow(): HrTime {
  const milliseconds = Date.now();
  return [Math.trunc(milliseconds / 1000), (milliseconds % 1000) * 1e6];
}
