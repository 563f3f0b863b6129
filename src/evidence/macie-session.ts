// Macie answers GetMacieSession with HTTP 403 AccessDeniedException "Macie is not enabled" in an account and
// region where it is off: that is a fact about the account, kept as the response, not a gap. A denial that is
// about the caller's permissions ("… is not authorized to perform: macie2:GetMacieSession …") stays a gap.

/** The error response GetMacieSession.json holds where Macie is not enabled, as the service sent it. */
export interface MacieErrorResponse {
  Error: { Code: string; Message: string; HttpStatusCode?: number; RequestId?: string };
}

const notEnabled = /^Macie is not enabled\.?$/i;

/** Whether an error code and message are Macie's answer that it is not enabled (and nothing else). */
export function isMacieNotEnabled(code: unknown, message: unknown): boolean {
  return code === 'AccessDeniedException' && typeof message === 'string' && notEnabled.test(message.trim());
}

/** An SDK error that says Macie is not enabled, as the response to keep; undefined for any other error. */
export function macieNotEnabledResponse(e: unknown): MacieErrorResponse | undefined {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  if (!isMacieNotEnabled(err.name, err.message)) return undefined;
  return { Error: { Code: err.name!, Message: err.message!, HttpStatusCode: err.$metadata?.httpStatusCode, RequestId: err.$metadata?.requestId } };
}
