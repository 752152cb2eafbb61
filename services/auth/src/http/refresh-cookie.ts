import { parseCookie, stringifySetCookie } from 'cookie';
import type { Request, Response } from 'express';

export const refreshCookieName = 'expe_refresh';

/**
 * The refresh token as an httpOnly cookie for the web app: scripts cannot read it, SameSite
 * keeps other sites from sending it, and the path limits it to the auth endpoints.
 */
export function createRefreshCookie(options: { secure: boolean; maxAgeSeconds: number }) {
  const attributes = {
    httpOnly: true,
    sameSite: 'strict',
    path: '/v1/auth',
    secure: options.secure,
  } as const;
  return {
    read(req: Request): string | undefined {
      const header = req.header('cookie');
      return header ? parseCookie(header)[refreshCookieName] || undefined : undefined;
    },
    set(res: Response, token: string): void {
      res.append(
        'Set-Cookie',
        stringifySetCookie(refreshCookieName, token, {
          ...attributes,
          maxAge: options.maxAgeSeconds,
        }),
      );
    },
    clear(res: Response): void {
      res.append(
        'Set-Cookie',
        stringifySetCookie(refreshCookieName, '', {
          ...attributes,
          maxAge: 0,
          expires: new Date(0),
        }),
      );
    },
  };
}

export type RefreshCookie = ReturnType<typeof createRefreshCookie>;
