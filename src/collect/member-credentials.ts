// Credentials for the read-only role in a member account. The SDK's fromTemporaryCredentials assumes the role and,
// asked again when they near expiry, assumes it anew, so a collection can outlast the role session (1 h). One set is
// shared by every client that reads the account: the role is assumed once per account, not once per client.
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { ClientConfig } from './supplementary.ts';

/** Role sessions last an hour; the SDK refreshes within five minutes of expiry, and so does the shared set. */
const sessionSeconds = 3600;
const refreshWindowMs = 300_000;

type Credentials = Awaited<ReturnType<ClientConfig['credentials']>>;

export function memberRoleCredentials(roleArn: string, home: ClientConfig): ClientConfig['credentials'] {
  const assume = fromTemporaryCredentials({
    masterCredentials: home.credentials,
    params: { RoleArn: roleArn, RoleSessionName: 'evidence-pack', DurationSeconds: sessionSeconds },
    clientConfig: { region: home.region, retryMode: home.retryMode, maxAttempts: home.maxAttempts },
  });
  let held: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  const nearExpiry = (c: Credentials) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < refreshWindowMs;
  // Called without the calling client's config: the STS client is then built from clientConfig alone, never bound to
  // the request handler of a member client that is destroyed when its reads are done.
  return async () => {
    if (held && !nearExpiry(held)) return held;
    pending ??= assume()
      .then((c) => (held = c))
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
