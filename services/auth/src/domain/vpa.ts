/**
 * VPA handles (`asha.verma@expe`): lower-case `[a-z0-9.]`, 3–30 characters, unique. Derived from
 * the name, else the email's local part; collisions get a short random numeric suffix.
 */
export const vpaSuffix = '@expe';
const minLength = 3;
const maxLength = 30;

/**
 * Handles that would shadow the sandbox's magic UPI addresses (`success@expe`,
 * `failure@expe`, `pending@expe`) or impersonate the platform.
 */
const reservedHandles = new Set([
  'success',
  'failure',
  'pending',
  'expe',
  'admin',
  'support',
  'system',
]);

export function baseHandle(name: string, email: string): string {
  const fromName = sanitize(name);
  if (fromName.length >= minLength) return fromName;
  const fromEmail = sanitize(email.split('@')[0] ?? '');
  if (fromEmail.length >= minLength) return fromEmail;
  return `user${fromEmail}`.slice(0, maxLength);
}

/**
 * The handle to try on the given attempt: the base first, then the base with 2, 3, … random
 * digits, trimmed so the whole stays within 30 characters. `random` is injectable for tests.
 */
export function handleCandidate(base: string, attempt: number, random = Math.random): string {
  if (attempt === 0 && !reservedHandles.has(base)) return base;
  const digits = Math.min(2 + Math.floor(attempt / 3), 6);
  const low = 10 ** (digits - 1);
  const suffix = String(low + Math.floor(random() * (9 * low)));
  return base.slice(0, maxLength - digits).replace(/\.+$/, '') + suffix;
}

export function toVpa(handle: string): string {
  return `${handle}${vpaSuffix}`;
}

function sanitize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_\-+]+/g, '.')
    .replace(/[^a-z0-9.]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, maxLength)
    .replace(/\.+$/, '');
}
