import { emailSchema, idSchema, nameSchema, timestampSchema } from './common.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { z } from './zod.js';

export const userRoles = ['user', 'merchant', 'admin'] as const;
export const roleSchema = z.enum(userRoles);
export type Role = z.infer<typeof roleSchema>;

export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(128, 'must be at most 128 characters')
  .openapi({ format: 'password' });

export const registerInputSchema = z
  .strictObject({
    email: emailSchema,
    password: passwordSchema,
    name: nameSchema,
    role: z.enum(['user', 'merchant']).default('user'),
  })
  .openapi('RegisterInput');
export type RegisterInput = z.infer<typeof registerInputSchema>;

export const loginInputSchema = z
  .strictObject({
    email: emailSchema,
    password: z.string().min(1).max(128),
  })
  .openapi('LoginInput');
export type LoginInput = z.infer<typeof loginInputSchema>;

/** The refresh token may come in the body or, from the web app, as the httpOnly cookie. */
export const refreshInputSchema = z
  .strictObject({ refresh_token: z.string().min(20).max(512).optional() })
  .openapi('RefreshInput');
export type RefreshInput = z.infer<typeof refreshInputSchema>;

export const verifyEmailInputSchema = z
  .strictObject({ token: z.string().min(20).max(256) })
  .openapi('VerifyEmailInput');

export const passwordResetRequestInputSchema = z
  .strictObject({ email: emailSchema })
  .openapi('PasswordResetRequestInput');

export const passwordResetConfirmInputSchema = z
  .strictObject({ token: z.string().min(20).max(256), password: passwordSchema })
  .openapi('PasswordResetConfirmInput');

export const changePasswordInputSchema = z
  .strictObject({ current_password: z.string().min(1).max(128), new_password: passwordSchema })
  .openapi('ChangePasswordInput');

export const userSchema = z
  .object({
    id: idSchema('usr'),
    object: z.literal('user'),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    vpa: z.string().openapi({ example: 'asha@expe' }),
    email_verified: z.boolean(),
    created: timestampSchema,
  })
  .openapi('User');
export type UserResource = z.infer<typeof userSchema>;

export const sessionSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().openapi({ description: 'seconds until the access token expires' }),
    refresh_token: z.string(),
    user: userSchema,
  })
  .openapi('Session');
export type SessionResource = z.infer<typeof sessionSchema>;

/** What a dev mail is for: the one-time token it carries. */
export const mailKinds = ['email_verification', 'password_reset'] as const;
export const mailSchema = z
  .object({
    id: z.string(),
    object: z.literal('mail'),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    kind: z.enum(mailKinds),
    token: z.string(),
    created: timestampSchema,
  })
  .openapi('Mail');

export const mailboxQuerySchema = z.strictObject({
  email: emailSchema,
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const auth = (path: string) => `/v1/auth${path}`;

export function registerAuthRoutes(registry: Registry): void {
  const tags = ['Auth'];
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/register'),
      tags,
      summary: 'Create an account (role user or merchant); signs in at once',
      security: [...security.none],
      request: { body: jsonBody(registerInputSchema) },
      responses: {
        201: jsonResponse(sessionSchema, 'Account created and signed in'),
        409: jsonResponse(z.any(), 'The email is already registered (code email_taken)'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/login'),
      tags,
      summary: 'Sign in with email and password',
      security: [...security.none],
      request: { body: jsonBody(loginInputSchema) },
      responses: {
        200: jsonResponse(sessionSchema, 'Signed in'),
        401: jsonResponse(z.any(), 'Wrong email or password (code invalid_credentials)'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/refresh'),
      tags,
      summary: 'Trade a refresh token for a new session; the old refresh token is spent',
      description:
        'Refresh tokens rotate. Presenting a spent refresh token again revokes every token of its family.',
      security: [...security.none],
      request: { body: jsonBody(refreshInputSchema) },
      responses: { 200: jsonResponse(sessionSchema, 'New session') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/logout'),
      tags,
      summary: 'Revoke the session of a refresh token',
      security: [...security.none],
      request: { body: jsonBody(refreshInputSchema) },
      responses: { 204: { description: 'Signed out' } },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/verify-email'),
      tags,
      summary: 'Confirm an email address with the token from the verification mail',
      security: [...security.none],
      request: { body: jsonBody(verifyEmailInputSchema) },
      responses: { 200: jsonResponse(userSchema, 'Email verified') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/verify-email/resend'),
      tags,
      summary: 'Send the verification mail again',
      security: [...security.user],
      responses: { 202: { description: 'Mail sent if the address is not yet verified' } },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/password-reset/request'),
      tags,
      summary: 'Ask for a password-reset mail; always 202, whether or not the email exists',
      security: [...security.none],
      request: { body: jsonBody(passwordResetRequestInputSchema) },
      responses: { 202: { description: 'Accepted' } },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/password-reset/confirm'),
      tags,
      summary: 'Set a new password with a reset token; signs out every session',
      security: [...security.none],
      request: { body: jsonBody(passwordResetConfirmInputSchema) },
      responses: { 204: { description: 'Password changed' } },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: auth('/password'),
      tags,
      summary: 'Change the password of the signed-in user; other sessions are signed out',
      security: [...security.user],
      request: { body: jsonBody(changePasswordInputSchema) },
      responses: { 204: { description: 'Password changed' } },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: auth('/me'),
      tags,
      summary: 'The signed-in user',
      security: [...security.user],
      responses: { 200: jsonResponse(userSchema, 'The user') },
    }),
  );
  const deactivatedUserSchema = (flag: 'deleted' | 'disabled') =>
    z.object({ id: idSchema('usr'), object: z.literal('user'), [flag]: z.literal(true) });
  registry.registerPath(
    withErrors({
      method: 'delete',
      path: auth('/me'),
      tags,
      summary:
        'Delete (deactivate) the signed-in user: every session ends at once and the password no longer signs in',
      security: [...security.user],
      responses: {
        200: jsonResponse(deactivatedUserSchema('deleted'), 'The account is deactivated'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/admin/users/{id}/disable',
      tags,
      summary: 'Admins: disable a user (every session ends at once, sign-in refused)',
      security: [...security.user],
      request: { params: z.object({ id: idSchema('usr') }) },
      responses: {
        200: jsonResponse(deactivatedUserSchema('disabled'), 'The account is deactivated'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/dev/mailbox',
      tags: ['Development'],
      summary: 'Mails Expe would have sent (verification, password reset); not in production',
      security: [...security.none],
      request: { query: mailboxQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ object: z.literal('list'), data: z.array(mailSchema), has_more: z.boolean() }),
          'Newest first',
        ),
      },
    }),
  );
}
