/** Shared response shapes. */
import { z } from 'zod';

export const errorEnvelope = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});

export const okSchema = z.object({ ok: z.literal(true) });

export const uuidParam = z.object({ id: z.uuid() });

/** Standard error responses for OpenAPI. */
export const errorResponses = {
  400: errorEnvelope,
  401: errorEnvelope,
  403: errorEnvelope,
  404: errorEnvelope,
  409: errorEnvelope,
  422: errorEnvelope,
} as const;

/** Timestamps travel as ISO 8601 strings (UTC). */
export const isoString = z.string().describe('ISO 8601 timestamp (UTC)');

export function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}
