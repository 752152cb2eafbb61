import { describe, expect, it } from 'vitest';
import { baseHandle, handleCandidate, toVpa } from './vpa.js';

describe('baseHandle', () => {
  it('when the name has spaces, accents and punctuation, then they become a clean dotted handle', () => {
    expect(baseHandle("  Zoë  D'Souza-Rao ", 'z@example.com')).toBe('zoe.dsouza.rao');
  });

  it('when the name gives fewer than 3 characters, then the email local part is used', () => {
    expect(baseHandle('李', 'Kiran_R+shop@example.com')).toBe('kiran.r.shop');
  });

  it('when neither gives 3 characters, then the handle is padded with "user"', () => {
    expect(baseHandle('李', 'k@example.com')).toBe('userk');
  });

  it('when the name is longer than 30 characters, then the handle is cut without a trailing dot', () => {
    const handle = baseHandle('abcdefghij abcdefghij abcdefgh ijk', 'a@example.com');
    expect(handle).toBe('abcdefghij.abcdefghij.abcdefgh');
    expect(baseHandle('abcdefghij abcdefghij abcdefg hijk', 'a@example.com')).toBe(
      'abcdefghij.abcdefghij.abcdefg',
    );
  });
});

describe('handleCandidate', () => {
  it('when it is the first attempt, then the base itself', () => {
    expect(handleCandidate('asha', 0)).toBe('asha');
  });

  it('when the base is a sandbox magic address, then even the first attempt has a suffix', () => {
    expect(handleCandidate('success', 0, () => 0)).toBe('success10');
  });

  it('when attempts go on, then the suffix grows from 2 digits', () => {
    expect(handleCandidate('asha', 1, () => 0)).toBe('asha10');
    expect(handleCandidate('asha', 2, () => 0.999)).toBe('asha99');
    expect(handleCandidate('asha', 3, () => 0)).toBe('asha100');
  });

  it('when the base is long, then it is trimmed so the handle stays within 30 characters', () => {
    const base = 'abcdefghij.abcdefghij.abcdefgh';
    const candidate = handleCandidate(base, 1, () => 0);
    expect(candidate).toBe('abcdefghij.abcdefghij.abcdef10');
    expect(candidate).toHaveLength(30);
  });
});

it('toVpa appends @expe', () => {
  expect(toVpa('asha')).toBe('asha@expe');
});
