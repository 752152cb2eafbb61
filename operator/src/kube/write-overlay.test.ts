import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createWriteOverlay } from './write-overlay.js';

const version = (resourceVersion: string, status = 'x'): KubernetesObject & { status: string } => ({
  metadata: { namespace: 'team', name: 'run-1', resourceVersion },
  status,
});

describe('write overlay', () => {
  it('when the watch still holds the version before the write, then the written object is read', () => {
    const writes = createWriteOverlay();
    writes.remember('team/run-1', version('120', 'applied'));

    expect(writes.resolve('team/run-1', version('101', 'before'))).toMatchObject({
      status: 'applied',
    });
  });

  it('when the watch delivers the written version or a newer one, then the watched copy is read and the write forgotten', () => {
    const writes = createWriteOverlay();
    writes.remember('team/run-1', version('120', 'applied'));

    expect(writes.resolve('team/run-1', version('120', 'watched'))).toMatchObject({
      status: 'watched',
    });
    // Forgotten: a later, older watched copy (a relist) is not masked by it any more.
    expect(writes.resolve('team/run-1', version('99', 'relisted'))).toMatchObject({
      status: 'relisted',
    });

    writes.remember('team/run-1', version('130', 'applied'));
    expect(writes.resolve('team/run-1', version('131', 'edited'))).toMatchObject({
      status: 'edited',
    });
  });

  it('when the object is gone from the watch, then it is gone, whatever was written', () => {
    const writes = createWriteOverlay();
    writes.remember('team/run-1', version('120'));

    expect(writes.resolve('team/run-1', undefined)).toBeUndefined();
  });

  it('when a resource version is not a number, then the watched copy wins', () => {
    const writes = createWriteOverlay();
    writes.remember('team/run-1', version('opaque-2', 'applied'));

    expect(writes.resolve('team/run-1', version('1', 'watched'))).toMatchObject({
      status: 'watched',
    });
  });

  it('when another object was written, then this one is read from the watch', () => {
    const writes = createWriteOverlay();
    writes.remember('team/run-2', version('120', 'applied'));

    expect(writes.resolve('team/run-1', version('101', 'watched'))).toMatchObject({
      status: 'watched',
    });
  });
});
