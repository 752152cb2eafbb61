import { listOf, listQuerySchema, timestampSchema } from './common.js';
import { errorResponse, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { z } from './zod.js';

// The project's API request log (`expe logs tail`), kept by the gateway in Redis (ADR 0007).

export const requestLogSchema = z
  .object({
    id: z.string().openapi({ description: 'The request id (the Request-Id header of its answer)' }),
    object: z.literal('request_log'),
    method: z.string(),
    path: z.string().openapi({ description: 'Without the query string' }),
    status: z.number().int(),
    latency_ms: z.number(),
    key_id: z.string().openapi({
      description:
        "The API key used, or `dashboard_session` when a merchant user's session acted (Expe-Project); never the session's id",
    }),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('RequestLog');
export type RequestLogResource = z.infer<typeof requestLogSchema>;

export const listRequestLogsQuerySchema = listQuerySchema.extend({
  starting_after: z.string().max(64).optional().openapi({ description: 'A request id' }),
  ending_before: z.string().max(64).optional().openapi({ description: 'A request id' }),
});

export function registerRequestLogRoutes(registry: Registry): void {
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/request_logs',
      tags: ['Request logs'],
      summary:
        "The project's API requests in this mode, newest first: method, path, status, latency, request id, key id (never bodies or credentials; the newest 1000, 7 days)",
      security: [...security.secretKey],
      request: { query: listRequestLogsQuerySchema },
      responses: {
        200: jsonResponse(listOf(requestLogSchema), 'A page'),
        403: errorResponse('A publishable key: secret_key_required'),
        404: errorResponse('starting_after or ending_before names no logged request'),
      },
    }),
  );
}
